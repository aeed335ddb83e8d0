/**
 * A load's chunks grouped into segments: one activity runs a segment (snapshot → write → verify per
 * chunk, in order), so a load of any size runs at most MAX_SEGMENTS write activities and as many
 * compensations. That bounds the workflow's history (about 10 events per segment, far under
 * Temporal's 51,200-event limit and the 10,000 we allow ourselves) and spends the per-activity cost
 * (connection, credentials, load row) once per segment instead of once per step of every chunk.
 * Small loads keep one chunk per segment, so cancel and failure stop them after a single chunk.
 */
export const MAX_SEGMENTS = 200;

export interface Segment {
  index: number;
  firstChunk: number;
  /** Inclusive. */
  lastChunk: number;
}

export function chunksPerSegment(chunkCount: number, maxSegments = MAX_SEGMENTS): number {
  return Math.max(1, Math.ceil(chunkCount / maxSegments));
}

export function segmentsOf(chunkCount: number, maxSegments = MAX_SEGMENTS): Segment[] {
  const size = chunksPerSegment(chunkCount, maxSegments);
  const segments: Segment[] = [];
  for (let first = 0, index = 0; first < chunkCount; first += size, index++) {
    segments.push({ index, firstChunk: first, lastChunk: Math.min(chunkCount - 1, first + size - 1) });
  }
  return segments;
}

/** Upper bound of one load run's history events for `segments` segments (checked by a test). */
export function historyEventBound(segments: number): number {
  // start/complete/task events and the status activities (~40), plus per segment: the write
  // activity and its compensation (3 events each, and their workflow tasks: ~4 each), with margin.
  return 60 + segments * 16;
}

/**
 * A load's chunks grouped into segments: one activity runs a segment (snapshot → write → verify per
 * chunk, in order), so a load of any size runs at most MAX_SEGMENTS write activities and as many
 * compensations. That bounds the workflow's history (about 10 events per segment, far under
 * Temporal's 51,200-event limit and the 10,000 we allow ourselves) and spends the per-activity cost
 * (connection, credentials, load row, the activity task itself) once per segment instead of once
 * per chunk. Segments stop between chunks when the workflow cancels them (cancel, or a failure in
 * another lane), so a long segment does not delay either.
 */
export const MAX_SEGMENTS = 200;

/**
 * Segments per lane when a load has fewer chunks than that would need: enough that lanes finish
 * close together (a lane's last segment is a quarter of its work), few enough that the activity
 * overhead stays small. Measured on 20,000 records (200 chunks), 16 lanes: 200 one-chunk segments
 * 2,371 records/s, 50 four-chunk segments 4,110 records/s (half the worker's CPU went to the
 * activities' own cost).
 */
export const SEGMENTS_PER_LANE = 4;

export interface Segment {
  index: number;
  firstChunk: number;
  /** Inclusive. */
  lastChunk: number;
}

/** `lanes` absent: the sizing of loads started before segments were sized by lanes (replays). */
export function chunksPerSegment(chunkCount: number, lanes?: number, maxSegments = MAX_SEGMENTS): number {
  const bounded = Math.ceil(chunkCount / maxSegments);
  const perLane = lanes === undefined ? 1 : Math.ceil(chunkCount / (lanes * SEGMENTS_PER_LANE));
  return Math.max(1, bounded, perLane);
}

export function segmentsOf(chunkCount: number, lanes?: number, maxSegments = MAX_SEGMENTS): Segment[] {
  const size = chunksPerSegment(chunkCount, lanes, maxSegments);
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

import { z } from 'zod';

/**
 * Modified-since capture as a keyset: every change ordered at or before (at, id) — by modification
 * time, then by record id — has been emitted, none after it. Many records share one timestamp
 * (bulk imports, whole-second stamps), so a poll resumes inside a timestamp by id and nothing is
 * lost or repeated. `id: ''` means nothing at `at` has been emitted yet.
 *
 * Settle margin: a system's modification stamp can become visible after the moment it names (a
 * search index that trails writes, a transaction committing after its stamp). Each source reads
 * only up to `settledUntil(now, settleMs, precisionMs)` and leaves later changes for the next poll,
 * so a late-visible change can never land behind the cursor. Each source states its margin and why
 * in its own file; the margin is the floor of capture lag.
 */
export interface KeysetPosition {
  /** Epoch milliseconds of the modification stamp. */
  at: number;
  /** The system's record id ('' = before every record at `at`). */
  id: string;
}

export const KEYSET_START: KeysetPosition = { at: 0, id: '' };

export const keysetPositionSchema = z.object({
  at: z.number().int().nonnegative(),
  // '0' was HubSpot's empty id before the kit: it sorts before every positive numeric id, as '' does.
  id: z.string().transform((id) => (id === '0' ? '' : id)),
});

/**
 * Ids in the system's order: numeric ids (HubSpot's) by value without losing precision, other ids
 * (Salesforce's) as strings. '' sorts first.
 */
export function compareKeysetIds(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  }
  return a < b ? -1 : 1;
}

export function comparePositions(a: KeysetPosition, b: KeysetPosition): number {
  return a.at - b.at || compareKeysetIds(a.id, b.id);
}

/**
 * The newest modification time a poll may read: the last whole `precisionMs` tick that ended at
 * least `settleMs` ago (ticks of 1 ms for millisecond stamps, 1000 for whole-second ones).
 */
export function settledUntil(now: number, settleMs: number, precisionMs = 1): number {
  return Math.floor((now - settleMs) / precisionMs) * precisionMs - precisionMs;
}

/** A change with the position it moves its stream to. */
export interface Positioned<T> {
  position: KeysetPosition;
  event: T;
}

export function byPosition<T>(a: Positioned<T>, b: Positioned<T>): number {
  return comparePositions(a.position, b.position);
}

/** What one keyset read found: changes in position order, where to resume, whether it caught up. */
export interface KeysetRead<T> {
  changes: Positioned<T>[];
  next: KeysetPosition;
  caughtUp: boolean;
}

/** At most `budget` changes; cutting moves `next` back to the last change kept (a complete prefix). */
export function cutToBudget<T>(read: KeysetRead<T>, budget: number): KeysetRead<T> {
  if (read.changes.length <= budget) return read;
  const kept = read.changes.slice(0, budget);
  return { changes: kept, next: kept[kept.length - 1].position, caughtUp: false };
}

/** Epoch ms of a date-time given as ISO 8601 or epoch ms; undefined when absent or unreadable. */
export function epochMs(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** What one stream of a multi-stream source (rows, deletes) found since its own position. */
export interface StreamRead<E> {
  from: KeysetPosition;
  changes: Positioned<E>[];
  caughtUp: boolean;
}

/**
 * Several keyset streams of one object (a table and its delete log) merged into one poll: their
 * changes in position order, at most `budget`, and each stream's position moved to the last of its
 * changes that was kept (a stream with none kept stays where it was).
 */
export function mergeStreams<S extends string, E>(streams: Record<S, StreamRead<E>>, budget: number): {
  changes: E[]; positions: Record<S, KeysetPosition>; hasMore: boolean;
} {
  const names = Object.keys(streams) as S[];
  const tagged = names.flatMap((stream) => streams[stream].changes.map((c) => ({ position: c.position, event: { stream, event: c.event } }))).sort(byPosition);
  const kept = cutToBudget({ changes: tagged, next: KEYSET_START, caughtUp: names.every((s) => streams[s].caughtUp) }, budget);
  const positions = Object.fromEntries(names.map((stream) => [stream, kept.changes.filter((c) => c.event.stream === stream).at(-1)?.position ?? streams[stream].from])) as Record<S, KeysetPosition>;
  return { changes: kept.changes.map((c) => c.event.event), positions, hasMore: !kept.caughtUp };
}

import { compareNumericStrings } from './pagination';
import type { StoredRecord } from './record-store';

/** The kit-owned timestamps a sandbox can search and sort records by. */
export type TimeField = 'createdAt' | 'updatedAt';

/**
 * One end of a range over (time, id): records at `ms` with an id after (or at, when inclusive) `id`
 * for a lower bound, before (or at) it for an upper bound. Without an id the bound covers all of
 * `ms` when inclusive, none of it when not.
 */
export interface TimeBound {
  ms: number;
  id?: string;
  inclusive: boolean;
}

/** Live records between bounds, in (time, id) order: how many, and a slice of them read in place. */
export interface TimeRange {
  count: number;
  slice(offset: number, limit: number): ReadonlyArray<Readonly<StoredRecord>>;
}

/** Writes kept unsorted at least up to this many before they are merged in without a read. */
const WRITTEN_BEFORE_MERGE = 4096;

interface Entry {
  ms: number;
  id: string;
  record: Readonly<StoredRecord>;
}

function compareEntries(a: Entry, b: Entry): number {
  return a.ms - b.ms || compareNumericStrings(a.id, b.id);
}

function isAfterLower(e: Entry, b: TimeBound): boolean {
  if (e.ms !== b.ms) return e.ms > b.ms;
  if (b.id === undefined) return b.inclusive;
  const c = compareNumericStrings(e.id, b.id);
  return c > 0 || (c === 0 && b.inclusive);
}

function isBeforeUpper(e: Entry, b: TimeBound): boolean {
  if (e.ms !== b.ms) return e.ms < b.ms;
  if (b.id === undefined) return b.inclusive;
  const c = compareNumericStrings(e.id, b.id);
  return c < 0 || (c === 0 && b.inclusive);
}

/** The first index in [0, length] where `test` turns false (`test` holds for a prefix). */
function prefixLength<T>(items: readonly T[], test: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (test(items[mid])) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The live (not archived) records of one object ordered by a timestamp, then by id (numerically
 * for numeric ids), so a search sorted or bounded by that time answers a page by binary search
 * instead of scanning and sorting the whole table on every request.
 *
 * Every write records its new entry (or the removal of the old one) at O(1); the order is restored
 * on the next read (or once the writes outnumber the index) by sorting only what was written since
 * and merging it in: a bulk load pays amortized O(log n) per write, and a backfill that searches
 * without writing pays a binary search per page.
 */
export class TimeIndex {
  private ordered: Entry[] = [];
  private written: Entry[] = [];
  /** Each record's live entry; an entry in `ordered` or `written` not found here is stale. */
  private readonly current = new Map<string, Entry>();
  private stale = false;

  constructor(readonly field: TimeField) {}

  add(record: Readonly<StoredRecord>): void {
    const ms = Date.parse(record[this.field]);
    if (record.archived || Number.isNaN(ms)) return;
    const entry = { ms, id: record.id, record };
    this.current.set(record.id, entry);
    this.written.push(entry);
    // Writes without reads (a bulk load) fold in now and then, so the log stays as small as the index.
    if (this.written.length > Math.max(WRITTEN_BEFORE_MERGE, this.ordered.length)) this.consolidated();
  }

  delete(record: Readonly<StoredRecord>): void {
    if (this.current.delete(record.id)) this.stale = true;
  }

  /** Records after every lower bound and before every upper bound. */
  range(lower: readonly TimeBound[], upper: readonly TimeBound[]): TimeRange {
    const ordered = this.consolidated();
    let start = 0;
    for (const bound of lower) start = Math.max(start, prefixLength(ordered, (e) => !isAfterLower(e, bound)));
    let end = ordered.length;
    for (const bound of upper) end = Math.min(end, prefixLength(ordered, (e) => isBeforeUpper(e, bound)));
    const count = Math.max(0, end - start);
    return {
      count,
      slice: (offset, limit) => ordered.slice(start + Math.min(offset, count), start + Math.min(offset + limit, count)).map((e) => e.record),
    };
  }

  private consolidated(): Entry[] {
    if (this.written.length === 0 && !this.stale) return this.ordered;
    const live = (e: Entry) => this.current.get(e.id) === e;
    const kept = this.stale ? this.ordered.filter(live) : this.ordered;
    const added = this.written.filter(live).sort(compareEntries);
    this.ordered = merge(kept, added);
    this.written = [];
    this.stale = false;
    return this.ordered;
  }
}

function merge(a: Entry[], b: Entry[]): Entry[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  // Writes stamp the current time, so what was written usually sorts after everything kept.
  if (compareEntries(a[a.length - 1], b[0]) < 0) return a.concat(b);
  const out = new Array<Entry>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareEntries(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

import type { SandboxClock } from './clock';
import type { NewRecord, RecordStore, StoredRecord } from './record-store';
import type { TimeBound, TimeField, TimeRange } from './time-index';

/** What a request's faults say about its reads and deletes (see faults.ts). */
export interface ConsistencyFaults {
  /** The stale-read window in ms when a stale-read fault applies to this request, else null. */
  staleReadWindowMs(): number | null;
  /** True when a delete-lies fault applies to this request. */
  deleteLies(): boolean;
}

/**
 * The store as one request sees it. `read`/`list` are what the system's read endpoints use: under
 * a stale-read fault they answer the version before a recent write (or nothing, for a record created
 * within the window). `latest`/`latestAll` are the truth, for write paths (existence and uniqueness
 * checks). `archive`/`remove` answer as if they worked but change nothing under delete-lies.
 */
export class RecordView {
  constructor(
    private readonly store: RecordStore,
    private readonly clock: SandboxClock,
    private readonly faults: ConsistencyFaults,
  ) {}

  /**
   * The record whose `field` equals `value` (case-insensitive), live or archived as asked, through
   * the store's field index (a stale-read fault answers from the versions a read would see).
   */
  findByField(object: string, field: string, value: string, opts: { archived: boolean; consistency: 'read' | 'latest' }): StoredRecord | undefined {
    if (opts.consistency === 'read' && this.faults.staleReadWindowMs() !== null) {
      const wanted = value.toLowerCase();
      return this.list(object).find((r) => r.archived === opts.archived && typeof r.fields[field] === 'string'
        && (r.fields[field] as string).toLowerCase() === wanted);
    }
    return this.store.findByField(object, field, value, opts.archived);
  }

  hasObject(object: string): boolean {
    return this.store.hasObject(object);
  }

  read(object: string, id: string): StoredRecord | undefined {
    const window = this.faults.staleReadWindowMs();
    const current = this.store.get(object, id);
    if (window === null || !current) return current;
    return this.staleVersion(object, current, window);
  }

  list(object: string): StoredRecord[] {
    const window = this.faults.staleReadWindowMs();
    const records = this.store.all(object);
    if (window === null) return records;
    return records.flatMap((record) => {
      const seen = this.staleVersion(object, record, window);
      return seen ? [seen] : [];
    });
  }

  /** The first record a read endpoint would see that matches `predicate` (a lookup by a unique field). */
  find(object: string, predicate: (record: Readonly<StoredRecord>) => boolean): StoredRecord | undefined {
    if (this.faults.staleReadWindowMs() === null) return this.store.find(object, predicate);
    return this.list(object).find(predicate);
  }

  /** The first record matching `predicate` in the true, current state (for write paths). */
  findLatest(object: string, predicate: (record: Readonly<StoredRecord>) => boolean): StoredRecord | undefined {
    return this.store.find(object, predicate);
  }

  /** Visits what a read endpoint sees, in place and read-only where no stale read applies (searches over large tables). */
  eachVisible(object: string, visit: (record: Readonly<StoredRecord>) => void): void {
    if (this.faults.staleReadWindowMs() === null) this.store.each(object, visit);
    else this.list(object).forEach(visit);
  }

  /**
   * What a read endpoint sees of the live records within time bounds, in (time, id) order, through
   * the store's time index; undefined under a stale-read fault (the caller scans `eachVisible`).
   */
  liveByTime(object: string, field: TimeField, lower: readonly TimeBound[], upper: readonly TimeBound[]): TimeRange | undefined {
    if (this.faults.staleReadWindowMs() !== null) return undefined;
    return this.store.liveByTime(object, field, lower, upper);
  }

  /** Visits the true, current state in place, read-only (for indexes built per request). */
  eachLatest(object: string, visit: (record: Readonly<StoredRecord>) => void): void {
    this.store.each(object, visit);
  }

  latest(object: string, id: string): StoredRecord | undefined {
    return this.store.get(object, id);
  }

  latestAll(object: string): StoredRecord[] {
    return this.store.all(object);
  }

  insert(object: string, input: NewRecord): StoredRecord {
    return this.store.insert(object, input);
  }

  update(object: string, id: string, patch: Record<string, unknown>): StoredRecord | undefined {
    return this.store.update(object, id, patch);
  }

  /** True when a live record was archived (or, under delete-lies, would have been). */
  archive(object: string, id: string): boolean {
    if (this.faults.deleteLies()) {
      const current = this.store.get(object, id);
      return current !== undefined && !current.archived;
    }
    return this.store.archive(object, id);
  }

  unarchive(object: string, id: string): boolean {
    return this.store.unarchive(object, id);
  }

  remove(object: string, id: string): boolean {
    if (this.faults.deleteLies()) return this.store.get(object, id) !== undefined;
    return this.store.remove(object, id);
  }

  private staleVersion(object: string, current: StoredRecord, windowMs: number): StoredRecord | undefined {
    const write = this.store.lastWrite(object, current.id);
    if (!write || this.clock.nowMs() - write.writtenAtMs >= windowMs) return current;
    return write.previous ?? undefined;
  }
}

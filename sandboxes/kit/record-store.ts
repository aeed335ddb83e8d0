import type { SandboxClock } from './clock';
import { TimeIndex, type TimeBound, type TimeField, type TimeRange } from './time-index';

/**
 * The in-memory state of a sandbox: objects -> records. Every record has a kit-owned id and
 * timestamps from the sandbox clock; `fields` holds the system's own field values. The store also
 * remembers each record's previous version and when it was written, which is what the stale-read
 * fault serves.
 */
export interface StoredRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  fields: Record<string, unknown>;
}

export interface NewRecord {
  id?: string;
  fields: Record<string, unknown>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
  archivedAt?: string;
}

interface WriteHistory {
  /** The version before the last write; null when the last write created the record. */
  previous: StoredRecord | null;
  /** Sandbox-clock time of the last write; -Infinity for seeded records (never stale). */
  writtenAtMs: number;
}

export type IdGenerator = (object: string, sequence: number) => string;

/**
 * Record ids by the lower-cased string value of one field, kept up to date by every write once
 * built: a lookup by a unique field (an email, an external id) costs the same with a million
 * records as with ten, where a scan per request made large loads quadratic.
 */
class FieldIndex {
  /** One id, or a set of them when records share the value: a million records make a million entries. */
  private readonly idsByValue = new Map<string, string | Set<string>>();

  constructor(readonly field: string) {}

  add(record: Readonly<StoredRecord>): void {
    const value = this.valueOf(record);
    if (value === undefined) return;
    const ids = this.idsByValue.get(value);
    if (ids === undefined || ids === record.id) this.idsByValue.set(value, record.id);
    else if (typeof ids === 'string') this.idsByValue.set(value, new Set([ids, record.id]));
    else ids.add(record.id);
  }

  delete(record: Readonly<StoredRecord>): void {
    const value = this.valueOf(record);
    if (value === undefined) return;
    const ids = this.idsByValue.get(value);
    if (ids === record.id) this.idsByValue.delete(value);
    else if (ids instanceof Set) {
      ids.delete(record.id);
      if (ids.size === 0) this.idsByValue.delete(value);
    }
  }

  ids(value: string): Iterable<string> {
    const ids = this.idsByValue.get(value.toLowerCase());
    return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids;
  }

  private valueOf(record: Readonly<StoredRecord>): string | undefined {
    const value = record.fields[this.field];
    return typeof value === 'string' ? value.toLowerCase() : undefined;
  }
}

/**
 * A record with what the store keeps about it, in one map entry: a large load made a million
 * entries in each of three maps keyed by object and id, and those lookups were a fifth of the
 * sandbox's CPU.
 */
interface Entry extends WriteHistory {
  record: StoredRecord;
  /** Insertion order, so an indexed lookup answers what a scan would: the first match. */
  ordinal: number;
}

export class RecordStore {
  private readonly tables = new Map<string, Map<string, Entry>>();
  private readonly fieldIndexes = new Map<string, Map<string, FieldIndex>>();
  private readonly timeIndexes = new Map<string, Map<TimeField, TimeIndex>>();
  private sequence = 0;
  private inserted = 0;

  constructor(
    private readonly clock: SandboxClock,
    objects: readonly string[],
    private readonly newId: IdGenerator = (_object, sequence) => String(sequence),
    firstSequence = 1,
  ) {
    for (const object of objects) this.tables.set(object, new Map());
    this.sequence = firstSequence - 1;
  }

  objects(): string[] {
    return [...this.tables.keys()];
  }

  hasObject(object: string): boolean {
    return this.tables.has(object);
  }

  /** Adds a record; `seeded` records keep their given timestamps and never read as stale. */
  insert(object: string, input: NewRecord, options: { seeded?: boolean } = {}): StoredRecord {
    const table = this.table(object);
    const now = this.clock.nowIso();
    const id = input.id ?? this.nextId(object, table);
    if (table.has(id)) throw new Error(`${object} ${id} already exists`);
    const record: StoredRecord = {
      id,
      createdAt: input.createdAt ?? now,
      updatedAt: input.updatedAt ?? input.createdAt ?? now,
      archived: input.archived ?? false,
      ...(input.archived ? { archivedAt: input.archivedAt ?? now } : {}),
      fields: cloneValue(input.fields),
    };
    table.set(id, { record, ordinal: this.inserted++, previous: null, writtenAtMs: options.seeded ? -Infinity : this.clock.nowMs() });
    for (const index of this.indexesOf(object)) index.add(record);
    return clone(record);
  }

  /** Merges `patch` into the record's fields (a value of undefined removes the field). */
  update(object: string, id: string, patch: Record<string, unknown>): StoredRecord | undefined {
    return this.write(object, id, (record) => {
      for (const [name, value] of Object.entries(patch)) {
        if (value === undefined) delete record.fields[name];
        else record.fields[name] = cloneValue(value);
      }
    });
  }

  /** Soft delete: the record stays, archived. False when there is no live record with that id. */
  archive(object: string, id: string): boolean {
    const current = this.table(object).get(id)?.record;
    if (!current || current.archived) return false;
    this.write(object, id, (record) => {
      record.archived = true;
      record.archivedAt = this.clock.nowIso();
    });
    return true;
  }

  /** Brings an archived record back (for systems with a native restore, e.g. Salesforce undelete). */
  unarchive(object: string, id: string): boolean {
    const current = this.table(object).get(id)?.record;
    if (!current || !current.archived) return false;
    this.write(object, id, (record) => {
      record.archived = false;
      delete record.archivedAt;
    });
    return true;
  }

  /** Hard delete. */
  remove(object: string, id: string): boolean {
    const table = this.table(object);
    const current = table.get(id)?.record;
    if (!current) return false;
    for (const index of this.indexesOf(object)) index.delete(current);
    table.delete(id);
    return true;
  }

  get(object: string, id: string): StoredRecord | undefined {
    const record = this.table(object).get(id)?.record;
    return record ? clone(record) : undefined;
  }

  /** The first record matching `predicate`, scanned in place (only the match is copied). */
  find(object: string, predicate: (record: Readonly<StoredRecord>) => boolean): StoredRecord | undefined {
    for (const { record } of this.table(object).values()) if (predicate(record)) return clone(record);
    return undefined;
  }

  /**
   * The first record (in insertion order) whose string `field` equals `value` ignoring case, live
   * or archived as asked, through an index built on first use and kept by every later write.
   */
  findByField(object: string, field: string, value: string, archived: boolean): StoredRecord | undefined {
    const table = this.table(object);
    const index = this.indexOn(this.fieldIndexes, object, field, () => new FieldIndex(field));
    let first: StoredRecord | undefined;
    let firstOrdinal = Infinity;
    for (const id of index.ids(value)) {
      const entry = table.get(id);
      if (entry && entry.record.archived === archived && entry.ordinal < firstOrdinal) {
        first = entry.record;
        firstOrdinal = entry.ordinal;
      }
    }
    return first ? clone(first) : undefined;
  }

  /**
   * The live records with `field` within the bounds, in (time, id) order, read in place, through an
   * index built on first use and kept by every later write (see time-index.ts).
   */
  liveByTime(object: string, field: TimeField, lower: readonly TimeBound[], upper: readonly TimeBound[]): TimeRange {
    return this.indexOn(this.timeIndexes, object, field, () => new TimeIndex(field)).range(lower, upper);
  }

  /** Visits every record in place, read-only (no copies: for indexes built per request). */
  each(object: string, visit: (record: Readonly<StoredRecord>) => void): void {
    for (const { record } of this.table(object).values()) visit(record);
  }

  /** Every record of the object (archived ones too), in insertion order. */
  all(object: string): StoredRecord[] {
    return [...this.table(object).values()].map((entry) => clone(entry.record));
  }

  /** The record's version before its last write, and when that write happened. */
  lastWrite(object: string, id: string): { previous: StoredRecord | null; writtenAtMs: number } | undefined {
    const entry = this.table(object).get(id);
    return entry ? { previous: entry.previous ? clone(entry.previous) : null, writtenAtMs: entry.writtenAtMs } : undefined;
  }

  snapshot(): Record<string, StoredRecord[]> {
    return Object.fromEntries(this.objects().map((object) => [object, this.all(object)]));
  }

  /** Empties every object. Ids keep counting up, so an id never names two different records. */
  clear(): void {
    for (const table of this.tables.values()) table.clear();
    this.fieldIndexes.clear();
    this.timeIndexes.clear();
  }

  private write(object: string, id: string, change: (record: StoredRecord) => void): StoredRecord | undefined {
    const entry = this.table(object).get(id);
    if (!entry) return undefined;
    const current = entry.record;
    const previous = clone(current);
    const indexes = this.indexesOf(object);
    for (const index of indexes) index.delete(current);
    change(current);
    current.updatedAt = this.clock.nowIso();
    for (const index of indexes) index.add(current);
    entry.previous = previous;
    entry.writtenAtMs = this.clock.nowMs();
    return clone(current);
  }

  /** The object's index on `key`, built from every record on first use (then kept by each write). */
  private indexOn<K, I extends FieldIndex | TimeIndex>(all: Map<string, Map<K, I>>, object: string, key: K, create: () => I): I {
    let indexes = all.get(object);
    if (!indexes) all.set(object, (indexes = new Map()));
    let index = indexes.get(key);
    if (!index) {
      index = create();
      for (const { record } of this.table(object).values()) index.add(record);
      indexes.set(key, index);
    }
    return index;
  }

  private indexesOf(object: string): Array<FieldIndex | TimeIndex> {
    return [...(this.fieldIndexes.get(object)?.values() ?? []), ...(this.timeIndexes.get(object)?.values() ?? [])];
  }

  private nextId(object: string, table: Map<string, Entry>): string {
    let id: string;
    do {
      this.sequence += 1;
      id = this.newId(object, this.sequence);
    } while (table.has(id));
    return id;
  }

  private table(object: string): Map<string, Entry> {
    const table = this.tables.get(object);
    if (!table) throw new Error(`unknown object ${object}`);
    return table;
  }
}

function clone(record: StoredRecord): StoredRecord {
  return cloneValue(record);
}

/**
 * A deep copy of JSON-shaped values, walked by hand: structuredClone serialises and parses back,
 * and at 13 µs a record it was a ninth of the HubSpot sandbox's CPU in a 20,000-record load.
 * Anything that is not a plain object, an array or a primitive (a Date, a Buffer) still goes
 * through structuredClone.
 */
function cloneValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = cloneValue((value as Record<string, unknown>)[key]);
  return copy as T;
}

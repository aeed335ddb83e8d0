import type { SandboxClock } from './clock';

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

export class RecordStore {
  private readonly tables = new Map<string, Map<string, StoredRecord>>();
  private readonly history = new Map<string, WriteHistory>();
  private sequence = 0;

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
      fields: structuredClone(input.fields),
    };
    table.set(id, record);
    this.history.set(historyKey(object, id), { previous: null, writtenAtMs: options.seeded ? -Infinity : this.clock.nowMs() });
    return clone(record);
  }

  /** Merges `patch` into the record's fields (a value of undefined removes the field). */
  update(object: string, id: string, patch: Record<string, unknown>): StoredRecord | undefined {
    return this.write(object, id, (record) => {
      for (const [name, value] of Object.entries(patch)) {
        if (value === undefined) delete record.fields[name];
        else record.fields[name] = structuredClone(value);
      }
    });
  }

  /** Soft delete: the record stays, archived. False when there is no live record with that id. */
  archive(object: string, id: string): boolean {
    const current = this.table(object).get(id);
    if (!current || current.archived) return false;
    this.write(object, id, (record) => {
      record.archived = true;
      record.archivedAt = this.clock.nowIso();
    });
    return true;
  }

  /** Brings an archived record back (for systems with a native restore, e.g. Salesforce undelete). */
  unarchive(object: string, id: string): boolean {
    const current = this.table(object).get(id);
    if (!current || !current.archived) return false;
    this.write(object, id, (record) => {
      record.archived = false;
      delete record.archivedAt;
    });
    return true;
  }

  /** Hard delete. */
  remove(object: string, id: string): boolean {
    const removed = this.table(object).delete(id);
    this.history.delete(historyKey(object, id));
    return removed;
  }

  get(object: string, id: string): StoredRecord | undefined {
    const record = this.table(object).get(id);
    return record ? clone(record) : undefined;
  }

  /** The first record matching `predicate`, scanned in place (only the match is copied). */
  find(object: string, predicate: (record: Readonly<StoredRecord>) => boolean): StoredRecord | undefined {
    for (const record of this.table(object).values()) if (predicate(record)) return clone(record);
    return undefined;
  }

  /** Visits every record in place, read-only (no copies: for indexes built per request). */
  each(object: string, visit: (record: Readonly<StoredRecord>) => void): void {
    for (const record of this.table(object).values()) visit(record);
  }

  /** Every record of the object (archived ones too), in insertion order. */
  all(object: string): StoredRecord[] {
    return [...this.table(object).values()].map(clone);
  }

  /** The record's version before its last write, and when that write happened. */
  lastWrite(object: string, id: string): { previous: StoredRecord | null; writtenAtMs: number } | undefined {
    const entry = this.history.get(historyKey(object, id));
    return entry ? { previous: entry.previous ? clone(entry.previous) : null, writtenAtMs: entry.writtenAtMs } : undefined;
  }

  snapshot(): Record<string, StoredRecord[]> {
    return Object.fromEntries(this.objects().map((object) => [object, this.all(object)]));
  }

  /** Empties every object. Ids keep counting up, so an id never names two different records. */
  clear(): void {
    for (const table of this.tables.values()) table.clear();
    this.history.clear();
  }

  private write(object: string, id: string, change: (record: StoredRecord) => void): StoredRecord | undefined {
    const current = this.table(object).get(id);
    if (!current) return undefined;
    const previous = clone(current);
    change(current);
    current.updatedAt = this.clock.nowIso();
    this.history.set(historyKey(object, id), { previous, writtenAtMs: this.clock.nowMs() });
    return clone(current);
  }

  private nextId(object: string, table: Map<string, StoredRecord>): string {
    let id: string;
    do {
      this.sequence += 1;
      id = this.newId(object, this.sequence);
    } while (table.has(id));
    return id;
  }

  private table(object: string): Map<string, StoredRecord> {
    const table = this.tables.get(object);
    if (!table) throw new Error(`unknown object ${object}`);
    return table;
  }
}

function historyKey(object: string, id: string): string {
  return `${object}\u0000${id}`;
}

function clone(record: StoredRecord): StoredRecord {
  return structuredClone(record);
}

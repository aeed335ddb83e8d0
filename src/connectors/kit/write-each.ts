import { mapWithConcurrency } from '../../platform/concurrency';
import type { ObjectSpec } from '../../platform/object-spec';
import type { FieldError, Key, Rec, RecordResult, WriteOperation } from '../../platform/records';
import { keyValue } from './keys';

/**
 * Writes for systems that take one record per request and assign ids themselves (FreshBooks,
 * Workday): the records' current versions are looked up once per chunk (not for a create), then
 * each record is created or updated, `concurrency` at once. What the system refuses for one record
 * (recordErrors) fails that record; anything else is thrown for the activity's retry policy.
 */
export interface WriteEachOptions<R> {
  /** The system's name for messages: 'FreshBooks', 'Workday'. */
  systemName: string;
  spec: ObjectSpec;
  op: Exclude<WriteOperation, 'delete'>;
  keyField: string;
  records: Rec[];
  concurrency: number;
  /** The live record each key names (null: none). */
  findExisting(keys: Key[]): Promise<Map<Key, R | null>>;
  /** Creates the record; resolves with its new id. */
  create(record: Rec): Promise<string>;
  /** Updates the existing record; resolves with its id. */
  update(existing: R, record: Rec): Promise<string>;
  recordErrors(err: unknown): FieldError[] | undefined;
  /** Added to "no <object> with <key>" for an update of an absent record: why it may be absent. */
  absentHint?: string;
}

export async function writeEach<R>(options: WriteEachOptions<R>): Promise<RecordResult[]> {
  const { spec, op, keyField, records } = options;
  const idField = spec.naturalKeys[0];
  const keys = records.map((r) => keyValue(r, keyField));
  const current = op === 'create' ? new Map<Key, R | null>() : await options.findExisting(keys.filter((k) => k !== ''));
  return mapWithConcurrency(records, options.concurrency, async (record, index): Promise<RecordResult> => {
    const key = keys[index];
    const failed = (errors: FieldError[]): RecordResult => ({ index, key, outcome: 'failed', errors });
    if (op === 'upsert' && keyField === idField) {
      return failed([{ field: keyField, message: `${options.systemName} assigns ${idField}s: upsert ${spec.name} by ${spec.naturalKeys.slice(1).join(' or ') || 'a natural key'}` }]);
    }
    if (op !== 'create' && key === '') return failed([{ field: keyField, message: `${keyField} is required to ${op} ${spec.name}` }]);
    const existing = current.get(key) ?? null;
    if (!existing && op === 'update') return failed([{ field: keyField, message: `no ${spec.name} record with ${keyField} ${key}${options.absentHint ?? ''}` }]);
    try {
      const id = existing ? await options.update(existing, record) : await options.create(record);
      return { index, key: key || id, id, outcome: existing ? 'updated' : 'created' };
    } catch (err) {
      const errors = options.recordErrors(err);
      if (errors) return failed(errors);
      throw err;
    }
  });
}

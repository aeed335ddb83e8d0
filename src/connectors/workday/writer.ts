import { mapWithConcurrency } from '../../platform/concurrency';
import type { FieldError, Rec, RecordResult, WriteOperation } from '../contract';
import { keyValue, recordLevelErrors } from '../kit';
import type { WorkdayApi } from './api';
import { findByKey } from './lookup';
import { ID_FIELD, WRITE_CONCURRENCY, type WorkdayResource } from './objects';
import { toPayload, type Resource } from './records';

export type WriteOp = Exclude<WriteOperation, 'delete'>;

/**
 * One request per record, WRITE_CONCURRENCY at once: POST to create, PATCH with the record's
 * writable fields to update. A value Workday refuses fails its record with the fields it names
 * (errors.ts); anything else is thrown for the activity's retries.
 */
export async function writeRecords(api: WorkdayApi, target: WorkdayResource, op: WriteOp, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const keys = records.map((r) => keyValue(r, keyField));
  const current = op === 'create' ? new Map<string, Resource | null>() : await findByKey(api, target, keyField, keys.filter((k) => k !== ''));
  return mapWithConcurrency(records, WRITE_CONCURRENCY, async (record, index): Promise<RecordResult> => {
    const key = keys[index];
    const failed = (errors: FieldError[]): RecordResult => ({ index, key, outcome: 'failed', errors });
    if (op === 'upsert' && keyField === ID_FIELD) return failed([{ field: keyField, message: `Workday assigns Workday IDs: upsert ${target.spec.name} by ${target.spec.naturalKeys.slice(1).join(' or ')}` }]);
    if (op !== 'create' && key === '') return failed([{ field: keyField, message: `${keyField} is required to ${op} ${target.spec.name}` }]);
    const existing = current.get(key) ?? null;
    if (!existing && op === 'update') return failed([{ field: keyField, message: `no ${target.spec.name} with ${keyField} ${key}` }]);
    try {
      const written = existing?.id
        ? await api.patch(target, existing.id, toPayload(target, record))
        : await api.create(target, toPayload(target, record));
      const id = String(written.id);
      return { index, key: key || id, id, outcome: existing ? 'updated' : 'created' };
    } catch (err) {
      const errors = recordLevelErrors(err);
      if (errors) return failed(errors);
      throw err;
    }
  });
}

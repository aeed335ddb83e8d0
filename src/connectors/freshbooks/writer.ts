import { mapWithConcurrency } from '../../platform/concurrency';
import type { FieldError, Rec, RecordResult, WriteOperation } from '../contract';
import { keyValue } from '../kit';
import { recordErrors } from './errors';
import type { FbApi } from './fb-api';
import { findLive } from './lookup';
import { ID_FIELD, WRITE_CONCURRENCY, type FbObject } from './objects';
import { toPayload, type Resource } from './records';

export type WriteOp = Exclude<WriteOperation, 'delete'>;

/**
 * One request per record (FreshBooks has no batch endpoint), WRITE_CONCURRENCY at once: POST to
 * create, PUT with only the record's writable keys to update (vis_state is never among them).
 * Refused values fail their record with the fields FreshBooks names; anything else is thrown.
 */
export async function writeRecords(api: FbApi, target: FbObject, op: WriteOp, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const keys = records.map((r) => keyValue(r, keyField));
  const current = op === 'create' ? new Map<string, Resource | null>() : await findLive(api, target, keyField, keys.filter((k) => k !== ''));
  return mapWithConcurrency(records, WRITE_CONCURRENCY, async (record, index): Promise<RecordResult> => {
    const key = keys[index];
    const failed = (errors: FieldError[]): RecordResult => ({ index, key, outcome: 'failed', errors });
    if (op === 'upsert' && keyField === ID_FIELD) return failed([{ field: keyField, message: `FreshBooks assigns ids: upsert ${target.spec.name} by ${target.spec.naturalKeys.slice(1).join(' or ') || 'a natural key'}` }]);
    if (op !== 'create' && key === '') return failed([{ field: keyField, message: `${keyField} is required to ${op} ${target.spec.name}` }]);
    const existing = current.get(key) ?? null;
    if (!existing && op === 'update') return failed([{ field: keyField, message: `no ${target.single} with ${keyField} ${key} (or it is deleted)` }]);
    try {
      const written = existing
        ? await api.update(target, String(existing.id), toPayload(target, record))
        : await api.create(target, toPayload(target, record));
      const id = String(written.id);
      return { index, key: key || id, id, outcome: existing ? 'updated' : 'created' };
    } catch (err) {
      const errors = recordErrors(err);
      if (errors) return failed(errors);
      throw err;
    }
  });
}

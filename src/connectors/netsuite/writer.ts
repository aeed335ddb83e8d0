import { mapWithConcurrency } from '../../platform/concurrency';
import type { FieldError, Rec, RecordResult, WriteOperation } from '../contract';
import { keyValue, writableValues } from '../kit';
import type { NetSuiteApi } from './api';
import { recordErrors } from './errors';
import { EXTERNAL_ID_FIELD, type NetSuiteObject } from './objects';
import { readIds } from './reader';

export type WriteOp = Exclude<WriteOperation, 'delete'>;

export interface WriteSettings {
  concurrency: number;
  idempotencyKeys: Array<string | undefined>;
}

/**
 * One request per record, `concurrency` at a time (NetSuite's REST record service has no bulk
 * write; the account's concurrency limit is what bounds throughput):
 * - create: POST, the new id from Location;
 * - update: PATCH by internal id (an external id is resolved first, one SuiteQL query per chunk);
 * - upsert: PUT …/eid:{externalId} — only by external id; whether it created or updated is known
 *   from the same lookup (NetSuite answers 204 either way).
 * Sublists present in a record are sent with ?replace=<sublist>, so the lines are exactly those given.
 * A refusal of one record (o:errorDetails, 404) fails that record; anything else is thrown once the
 * requests in flight are done.
 */
export async function writeRecords(api: NetSuiteApi, target: NetSuiteObject, op: WriteOp, keyField: string, records: Rec[],
  settings: WriteSettings): Promise<RecordResult[]> {
  const keys = records.map((r) => keyValue(r, keyField));
  const ids = op === 'create' ? new Map<string, string>() : await readIds(api, target, keyField, keys.filter((k) => k !== ''));
  return mapWithConcurrency(records, settings.concurrency, async (record, index) => {
    const key = keys[index];
    const failed = (errors: FieldError[]): RecordResult => ({ index, key, outcome: 'failed', errors });
    const refusal = refuseBeforeSending(target, op, keyField, key, ids);
    if (refusal) return failed([refusal]);
    try {
      const written = await writeOne(api, target, op, key, record, ids.get(key), settings.idempotencyKeys[index]);
      return { index, key: key || written.id, id: written.id, outcome: written.outcome };
    } catch (err) {
      const errors = recordErrors(err);
      if (errors) return failed(errors);
      throw err;
    }
  });
}

function refuseBeforeSending(target: NetSuiteObject, op: WriteOp, keyField: string, key: string, ids: Map<string, string>): FieldError | undefined {
  if (op === 'upsert' && keyField !== EXTERNAL_ID_FIELD) {
    return { field: keyField, message: `NetSuite upserts by external ID only (PUT …/eid:{externalId}): upsert ${target.recordType} records by ${EXTERNAL_ID_FIELD}` };
  }
  if (op !== 'create' && key === '') return { field: keyField, message: `${keyField} is required to ${op} a ${target.recordType} record` };
  if (op === 'update' && !ids.has(key)) return { field: keyField, message: `no ${target.recordType} record with ${keyField} ${key}` };
  return undefined;
}

async function writeOne(api: NetSuiteApi, target: NetSuiteObject, op: WriteOp, key: string, record: Rec,
  existingId: string | undefined, idempotencyKey: string | undefined): Promise<{ id: string; outcome: 'created' | 'updated' }> {
  const body = writableValues(target.spec, record);
  const replace = target.fields.filter((f) => f.kind === 'sublist' && f.name in body).map((f) => f.name);
  if (op === 'create') return { id: await api.create(target.recordType, body, idempotencyKey), outcome: 'created' };
  if (op === 'update') {
    await api.update(target.recordType, existingId!, body, replace, idempotencyKey);
    return { id: existingId!, outcome: 'updated' };
  }
  const { [EXTERNAL_ID_FIELD]: _externalId, ...rest } = body;
  const answered = await api.upsert(target.recordType, key, rest, replace, idempotencyKey);
  const id = existingId ?? answered ?? (await readIds(api, target, EXTERNAL_ID_FIELD, [key])).get(key);
  return { id: id ?? key, outcome: existingId ? 'updated' : 'created' };
}


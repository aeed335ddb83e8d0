import { chunk } from '../../platform/batch-isolation';
import type { FieldError, Rec, RecordResult, WriteOperation } from '../contract';
import type { SalesforceApi, SaveResult, SObjectRecord } from './api';
import { recordFieldErrors } from './errors';
import { COLLECTION_LIMIT, ID_FIELD } from './objects';
import { readByKey } from './reader';
import { keyValue, writableValues } from '../kit';
import { salesforceObject } from './objects';

export type WriteOp = Exclude<WriteOperation, 'delete'>;

/** One record on its way to an sObject Collections call. */
interface PendingWrite {
  index: number;
  key: string;
  body: SObjectRecord;
}

/**
 * create → POST /composite/sobjects, update → PATCH /composite/sobjects (by Id; another key is
 * resolved to Ids first), upsert → PATCH /composite/sobjects/{SObject}/{ExternalIdField}. Calls are
 * made with allOrNone false, so Salesforce answers each record on its own, in order: the invalid
 * ones fail with their fields and the rest is written. No batch isolation is needed.
 */
export async function writeRecords(api: SalesforceApi, object: string, op: WriteOp, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  const ids = op === 'update' && keyField !== ID_FIELD ? await idsByKey(api, object, keyField, records) : undefined;
  const pending: PendingWrite[] = [];
  records.forEach((record, index) => {
    const key = keyValue(record, keyField);
    const refusal = refuseBeforeSending(object, op, keyField, key, ids);
    if (refusal) results.push({ index, key, outcome: 'failed', errors: [refusal] });
    else pending.push({ index, key, body: toBody(object, op, keyField, key, record, ids) });
  });

  for (const part of chunk(pending, COLLECTION_LIMIT)) {
    const bodies = part.map((w) => w.body);
    const saved = op === 'create' ? await api.create(bodies) : op === 'update' ? await api.update(bodies) : await api.upsert(object, keyField, bodies);
    part.forEach((write, i) => results.push(resultOf(write, saved[i], op, keyField)));
  }
  return results.sort((a, b) => a.index - b.index);
}

async function idsByKey(api: SalesforceApi, object: string, keyField: string, records: Rec[]): Promise<Map<string, string>> {
  const keys = records.map((r) => keyValue(r, keyField)).filter((k) => k !== '');
  const current = await readByKey(api, object, keyField, keys, [ID_FIELD]);
  const ids = new Map<string, string>();
  for (const [key, record] of current) if (record?.[ID_FIELD]) ids.set(key, String(record[ID_FIELD]));
  return ids;
}

function refuseBeforeSending(object: string, op: WriteOp, keyField: string, key: string, ids: Map<string, string> | undefined): FieldError | undefined {
  if (op !== 'create' && key === '') return { field: keyField, message: `${keyField} is required to ${op} a ${object} record` };
  if (ids && !ids.has(key)) return { field: keyField, message: `no ${object} record with ${keyField} ${key}` };
  return undefined;
}

function toBody(object: string, op: WriteOp, keyField: string, key: string, record: Rec, ids: Map<string, string> | undefined): SObjectRecord {
  const fields = writableValues(salesforceObject(object), record);
  const body: SObjectRecord = { attributes: { type: object }, ...fields };
  if (op === 'update') body[ID_FIELD] = ids ? ids.get(key) : key;
  if (op === 'upsert') body[keyField] = record[keyField];
  return body;
}

function resultOf(write: PendingWrite, saved: SaveResult | undefined, op: WriteOp, keyField: string): RecordResult {
  const base = { index: write.index, key: write.key || saved?.id || '' };
  if (!saved) return { ...base, outcome: 'failed', errors: [{ field: keyField, message: 'Salesforce answered without a result for this record' }] };
  if (!saved.success) return { ...base, ...(saved.id ? { id: saved.id } : {}), outcome: 'failed', errors: recordFieldErrors(saved.errors ?? [], keyField) };
  const outcome = op === 'create' ? 'created' : op === 'update' ? 'updated' : saved.created === true ? 'created' : 'updated';
  return { ...base, ...(saved.id ? { id: saved.id } : {}), outcome };
}

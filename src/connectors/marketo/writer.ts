import { chunk } from '../../platform/batch-isolation';
import type { FieldError, ObjectSpec, Rec, RecordResult, WriteOperation } from '../contract';
import { keyValue, writableValues } from '../kit';
import type { Action, Entity, MarketoApi, SyncResult } from './api';
import { reasonErrors } from './errors';
import { BATCH_LIMIT, ID, leadSpec } from './objects';

const ACTIONS: Record<Exclude<WriteOperation, 'delete'>, Action> = { create: 'createOnly', update: 'updateOnly', upsert: 'createOrUpdate' };

/**
 * One sync call per 300 records, Marketo deciding create or update by the action and the lookup
 * field (leads: lookupField = the key; companies: dedupeBy dedupeFields = externalCompanyId, or
 * idField). Results come back in input order; a `skipped` record fails with its reasons as field
 * errors (reasonErrors). Marketo assigns ids: a create or upsert keyed by id is refused per record.
 */
export async function writeRecords(api: MarketoApi, spec: ObjectSpec, op: Exclude<WriteOperation, 'delete'>, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  const pending: Array<{ index: number; key: string; record: Rec }> = [];
  records.forEach((record, index) => {
    const key = keyValue(record, keyField);
    const refusal = refuse(spec, op, keyField, key);
    if (refusal) results.push({ index, key, outcome: 'failed', errors: [refusal] });
    else pending.push({ index, key, record });
  });
  for (const part of chunk(pending, BATCH_LIMIT)) {
    const input = part.map((p) => ({ ...payload(spec, p.record), [keyField]: keyField === ID ? Number(p.key) : p.record[keyField] }));
    const answers = await sync(api, spec, ACTIONS[op], keyField, input);
    part.forEach((p, i) => results.push(resultOf(p, answers[i], keyField)));
  }
  return results.sort((a, b) => a.index - b.index);
}

function refuse(spec: ObjectSpec, op: string, keyField: string, key: string): FieldError | undefined {
  if (keyField === ID && op !== 'update') return { field: ID, message: `Marketo assigns ids: ${op} ${spec.name} by ${spec.naturalKeys[1]}` };
  if (key === '') return { field: keyField, message: `${keyField} is required to ${op} ${spec.name}` };
  return undefined;
}

function payload(spec: ObjectSpec, record: Rec): Entity {
  return Object.fromEntries(Object.entries(writableValues(spec, record)).map(([k, v]) => [k, v === '' ? null : v]));
}

function sync(api: MarketoApi, spec: ObjectSpec, action: Action, keyField: string, input: Entity[]): Promise<SyncResult[]> {
  if (spec.name === leadSpec.name) return api.syncLeads(action, keyField, input);
  return api.syncCompanies(action, keyField === ID ? 'idField' : 'dedupeFields', input);
}

function resultOf(p: { index: number; key: string }, answer: SyncResult | undefined, keyField: string): RecordResult {
  if (!answer) return { index: p.index, key: p.key, outcome: 'failed', errors: [{ field: '*', message: 'Marketo answered no result for this record' }] };
  const id = answer.id === undefined ? undefined : String(answer.id);
  if (answer.status === 'created' || answer.status === 'updated') return { index: p.index, key: p.key || id!, id, outcome: answer.status };
  return { index: p.index, key: p.key, ...(id ? { id } : {}), outcome: 'failed', errors: reasonErrors(answer.reasons, keyField) };
}

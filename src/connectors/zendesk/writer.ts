import { chunk } from '../../platform/batch-isolation';
import { sameValue } from '../../platform/load/compare';
import type { FieldError, Key, ObjectSpec, Rec, RecordResult, WriteOperation } from '../contract';
import { keyValue } from '../kit';
import { BULK_LIMIT, type JobResult, type Resource, type ZendeskApi } from './api';
import { jobItemErrors } from './errors';
import { runJob, type JobOptions } from './jobs';
import { ID } from './objects';
import { readByKey } from './reader';
import { toPayload } from './records';

interface Pending {
  index: number;
  key: string;
  record: Rec;
  /** Zendesk's id of the record to update. */
  id?: string;
}

/**
 * create -> create_many, update -> update_many ({ id, ... } per item), upsert -> both after a read
 * by key. Each call (100 records) is a background job polled to completion (jobs.ts); its results
 * come back by index and map to the records they belong to, failures named by field.
 */
export async function writeRecords(api: ZendeskApi, spec: ObjectSpec, op: Exclude<WriteOperation, 'delete'>, keyField: string,
  records: Rec[], jobs: JobOptions): Promise<RecordResult[]> {
  const resource = spec.name as Resource;
  const results: RecordResult[] = [];
  const all: Pending[] = records.map((record, index) => ({ index, key: keyValue(record, keyField), record }));
  const fail = (p: Pending, errors: FieldError[]) => results.push({ index: p.index, key: p.key, outcome: 'failed', errors });
  const valid = all.filter((p) => {
    if (keyField === ID && op !== 'update') fail(p, [{ field: ID, message: `Zendesk assigns ids: ${op} ${spec.name} by ${spec.naturalKeys.slice(1).join(' or ')}` }]);
    else if (op !== 'create' && p.key === '') fail(p, [{ field: keyField, message: `${keyField} is required to ${op} ${spec.name}` }]);
    else return true;
    return false;
  });

  const current = op === 'create' ? new Map<Key, Rec | null>() : await readByKey(api, spec, keyField, valid.map((p) => p.key));
  const toCreate: Pending[] = [];
  const toUpdate: Pending[] = [];
  for (const p of valid) {
    const existing = current.get(p.key) ?? null;
    if (!existing) {
      if (op === 'update') fail(p, [{ field: keyField, message: `no ${spec.name} record with ${keyField} ${p.key}` }]);
      else toCreate.push(p);
      continue;
    }
    const frozen = spec.fields.filter((f) => f.createOnly && f.name in p.record && !sameValue(p.record[f.name], existing[f.name]));
    if (frozen.length > 0) fail(p, frozen.map((f) => ({ field: f.name, message: `${f.name} is set when the record is created and cannot change` })));
    else toUpdate.push({ ...p, id: String(existing[ID]) });
  }

  for (const part of chunk(toCreate, BULK_LIMIT)) {
    const job = await api.createMany(resource, part.map((p) => toPayload(spec, p.record, 'create')));
    results.push(...mapResults(spec, part, await runJob(api, job, jobs), 'created'));
  }
  for (const part of chunk(toUpdate, BULK_LIMIT)) {
    const job = await api.updateMany(resource, part.map((p) => ({ ...toPayload(spec, p.record, 'update'), id: Number(p.id) })));
    results.push(...mapResults(spec, part, await runJob(api, job, jobs), 'updated'));
  }
  return results.sort((a, b) => a.index - b.index);
}

/** Job results by the index of the item in the request (update results also by id). */
function mapResults(spec: ObjectSpec, batch: Pending[], results: JobResult[], outcome: 'created' | 'updated'): RecordResult[] {
  return batch.map((p, position): RecordResult => {
    const result = results.find((r) => r.index === position) ?? results.find((r) => p.id !== undefined && r.index === undefined && String(r.id) === p.id);
    if (!result) return { index: p.index, key: p.key, outcome: 'failed', errors: [{ field: '*', message: 'the job answered no result for this record' }] };
    if (result.success === false || result.status === 'Failed' || result.error) {
      return { index: p.index, key: p.key, ...(p.id ? { id: p.id } : {}), outcome: 'failed', errors: jobItemErrors(result.details, result.error, [...spec.fields.map((f) => f.name), ...Object.keys(p.record)]) };
    }
    const id = String(result.id ?? p.id);
    return { index: p.index, key: p.key || id, id, outcome };
  });
}

import type { FieldError, Rec, RecordResult, WriteOperation } from '../contract';
import { errorCode, keyValue, versionOf, withCurrentVersion, writableValues } from '../kit';
import type { DataverseApi } from './api';
import { answerError, recordErrors, STALE_VERSION } from './errors';
import type { BatchAnswer, BatchOperation } from './multipart';
import type { DataverseObject } from './objects';
import { keyLiteral, readByKey, rowPath } from './reader';

export type WriteOp = Exclude<WriteOperation, 'delete'>;

/** One row's request and what it means once it succeeds. */
interface Planned {
  index: number;
  key: string;
  op: BatchOperation;
  outcome: 'created' | 'updated';
  /** The row's id when it exists already. */
  id?: string;
}

/**
 * A chunk as one $batch changeset (Dataverse runs it in one transaction: every row or none):
 * - create: POST {set} (a primary key given is kept: Dataverse accepts it on create);
 * - update: PATCH {set}(<id>) with If-Match: the row's current ETag (read with the chunk's keys);
 * - upsert: PATCH {set}(<alternate key>='…') or {set}(<guid>) without If-Match (create or update);
 *   whether it created is known from the same read.
 * When the changeset fails because of one row (refused values, a row gone, an ETag that moved on
 * since the read), nothing was written: the rows are sent again as separate requests
 * (odata.continue-on-error), so each answers for itself; an update refused for a stale ETag is
 * retried with the current one (kit version tokens). Anything else (auth, limits) is thrown.
 */
export async function writeRecords(api: DataverseApi, target: DataverseObject, op: WriteOp, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const keys = records.map((r) => keyValue(r, keyField));
  const current = op === 'create' ? new Map<string, Rec | null>() : await readByKey(api, target, keyField, keys.filter((k) => k !== ''));
  const results: RecordResult[] = [];
  const planned: Planned[] = [];
  records.forEach((record, index) => {
    const key = keys[index];
    const refusal = refuseBeforeSending(target, op, keyField, key, current.get(key) ?? null);
    if (refusal) results.push({ index, key, outcome: 'failed', errors: [refusal] });
    else planned.push(plan(target, op, keyField, key, record, current.get(key) ?? null, index));
  });
  if (planned.length > 0) results.push(...await send(api, target, planned));
  return results.sort((a, b) => a.index - b.index);
}

function refuseBeforeSending(target: DataverseObject, op: WriteOp, keyField: string, key: string, existing: Rec | null): FieldError | undefined {
  if (op !== 'create' && key === '') return { field: keyField, message: `${keyField} is required to ${op} a ${target.entitySet} row` };
  if (key !== '' && keyLiteral(target, keyField, key) === undefined) return { field: keyField, message: `${key} is not a GUID: ${keyField} is the row's primary key` };
  if (op === 'update' && !existing) return { field: keyField, message: `no ${target.entitySet} row with ${keyField} ${key}` };
  return undefined;
}

function plan(target: DataverseObject, op: WriteOp, keyField: string, key: string, record: Rec, existing: Rec | null, index: number): Planned {
  const body = writableValues(target.spec, record);
  const id = existing ? String(existing[target.primaryKey]) : undefined;
  if (op === 'create') {
    if (keyField === target.primaryKey && key !== '') body[target.primaryKey] = key;
    return { index, key, op: { method: 'POST', url: target.entitySet, body }, outcome: 'created' };
  }
  if (op === 'update') {
    return { index, key, id, outcome: 'updated', op: { method: 'PATCH', url: rowPath(target, target.primaryKey, id!), headers: { 'If-Match': versionOf(target.spec, existing) ?? '*' }, body } };
  }
  delete body[keyField];
  return { index, key, id, outcome: existing ? 'updated' : 'created', op: { method: 'PATCH', url: rowPath(target, keyField, key), body } };
}

function idOf(target: DataverseObject, planned: Planned, answer: BatchAnswer): string {
  const entityId = answer.headers['odata-entityid'] ?? '';
  return /\(([0-9a-fA-F-]{36})\)$/.exec(entityId)?.[1]?.toLowerCase() ?? planned.id ?? String((answer.body as Rec | null)?.[target.primaryKey] ?? planned.key);
}

const succeeded = (a: BatchAnswer | undefined) => a !== undefined && a.status >= 200 && a.status < 300;

async function send(api: DataverseApi, target: DataverseObject, planned: Planned[]): Promise<RecordResult[]> {
  const atomic = await api.batch(planned.map((p) => p.op), true);
  if (atomic.length === planned.length && atomic.every(succeeded)) {
    return planned.map((p, i) => ({ index: p.index, key: p.key || idOf(target, p, atomic[i]), id: idOf(target, p, atomic[i]), outcome: p.outcome }));
  }
  const refusal = atomic.find((a) => !succeeded(a));
  if (refusal) {
    const err = answerError(refusal.status, refusal.headers, refusal.body);
    if (err.code !== STALE_VERSION && !recordErrors(err, [target.alternateKey])) throw err;
  }
  const separate = await api.batch(planned.map((p) => p.op), false);
  return Promise.all(planned.map((p, i) => settle(api, target, p, separate[i])));
}

/** One row's own answer: success, a retry with the current ETag, or its field errors. */
async function settle(api: DataverseApi, target: DataverseObject, p: Planned, answer: BatchAnswer | undefined): Promise<RecordResult> {
  let final = answer;
  if (final && final.status === 412 && answerError(final.status, final.headers, final.body).code === STALE_VERSION && p.id) {
    final = await withCurrentVersion({
      readVersion: async () => (await readByKey(api, target, target.primaryKey, [p.id!])).get(p.id!)?.['@odata.etag'] as string | undefined,
      attempt: async (etag) => api.write({ ...p.op, headers: { ...p.op.headers, 'If-Match': etag ?? '*' } }),
      isStale: (err) => errorCode(err) === STALE_VERSION,
    }).catch((err: unknown): BatchAnswer => {
      // Still stale after the kit's attempts: the row keeps moving under us; that row fails.
      if (errorCode(err) !== STALE_VERSION) throw err;
      return { status: 412, headers: {}, body: (err as { body?: unknown }).body };
    });
  }
  if (succeeded(final)) return { index: p.index, key: p.key || idOf(target, p, final!), id: idOf(target, p, final!), outcome: p.outcome };
  if (!final) return { index: p.index, key: p.key, outcome: 'failed', errors: [{ field: '*', message: 'Dataverse answered the batch without an answer for this row' }] };
  const err = answerError(final.status, final.headers, final.body);
  const errors = recordErrors(err, [target.alternateKey]);
  if (!errors) throw err;
  return { index: p.index, key: p.key, outcome: 'failed', errors };
}

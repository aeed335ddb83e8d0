import { chunk } from '../../platform/batch-isolation';
import { ConnectorError } from '../../platform/errors';
import type { FieldError, Key, ObjectSpec, Rec, RecordResult, WriteOperation } from '../contract';
import { keyValue, recordLevelErrors, writableValues } from '../kit';
import type { BatchOutcome, BatchWrite, ServiceNowApi } from './api';
import { SYSTEM } from './errors';
import { BATCH_LIMIT, ID } from './objects';
import { readByKey } from './reader';
import { toValues } from './records';

interface Pending {
  index: number;
  key: string;
  record: Rec;
  /** The sys_id to update (absent: insert). */
  id?: string;
}

/**
 * create -> Table API inserts, update -> PATCH by sys_id after a read by key, upsert -> both; each
 * group sent through the Batch API (BATCH_LIMIT items a call), answered item by item: an item's
 * Data Policy refusal or 404 fails that record naming the field; an item answering 401, 429 or 5xx
 * fails the whole call (the activity retries it). Records keyed by sys_id are inserted with that
 * sys_id, which the Table API keeps.
 */
export async function writeRecords(api: ServiceNowApi, spec: ObjectSpec, op: Exclude<WriteOperation, 'delete'>, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  const all: Pending[] = records.map((record, index) => ({ index, key: keyValue(record, keyField), record }));
  const fail = (p: Pending, errors: FieldError[]) => results.push({ index: p.index, key: p.key, outcome: 'failed', errors });
  const valid = all.filter((p) => {
    if (op !== 'create' && p.key === '') fail(p, [{ field: keyField, message: `${keyField} is required to ${op} ${spec.name}` }]);
    else return true;
    return false;
  });
  const current = op === 'create' ? new Map<Key, Rec | null>() : await readByKey(api, spec, keyField, valid.map((p) => p.key));
  const toInsert: Pending[] = [];
  const toUpdate: Pending[] = [];
  for (const p of valid) {
    const existing = current.get(p.key) ?? null;
    if (existing) toUpdate.push({ ...p, id: String(existing[ID]) });
    else if (op === 'update') fail(p, [{ field: keyField, message: `no ${spec.name} record with ${keyField} ${p.key}` }]);
    else toInsert.push(p);
  }
  const fields = [ID, keyField];
  const writes = [
    ...toInsert.map((p) => ({ p, write: { method: 'POST', table: spec.name, values: insertValues(spec, keyField, p.record), fields } as BatchWrite, outcome: 'created' as const })),
    ...toUpdate.map((p) => ({ p, write: { method: 'PATCH', table: spec.name, sysId: p.id, values: toValues(writableValues(spec, p.record)), fields } as BatchWrite, outcome: 'updated' as const })),
  ];
  for (const part of chunk(writes, BATCH_LIMIT)) {
    const answers = await serviceAll(api, spec, part.map((w) => w.write));
    part.forEach(({ p, outcome }, i) => {
      const answer = answers[i];
      if (answer.ok) {
        const id = String(answer.row[ID] ?? p.id ?? '');
        results.push({ index: p.index, key: p.key || id, id, outcome });
        return;
      }
      const errors = recordLevelErrors(answer.error);
      if (!errors) throw answer.error;
      results.push({ index: p.index, key: p.key, ...(p.id ? { id: p.id } : {}), outcome: 'failed', errors });
    });
  }
  return results.sort((a, b) => a.index - b.index);
}

/**
 * Sends the writes until each has an answer: items the instance left unserviced (its transaction
 * quota ran out) go again in a follow-up batch, never the ones already answered. A batch that
 * services nothing is a transient failure of the call.
 */
async function serviceAll(api: ServiceNowApi, spec: ObjectSpec, writes: BatchWrite[]): Promise<BatchOutcome[]> {
  const answers: Array<BatchOutcome | undefined> = writes.map(() => undefined);
  for (;;) {
    const waiting = answers.flatMap((a, i) => (a ? [] : [i]));
    if (waiting.length === 0) return answers as BatchOutcome[];
    const got = await api.batch(waiting.map((i) => writes[i]));
    if (got.every((a) => a === undefined)) {
      throw new ConnectorError({ kind: 'transient', system: SYSTEM, message: `servicenow serviced none of ${waiting.length} ${spec.name} writes in a batch (transaction quota)` });
    }
    got.forEach((a, j) => { answers[waiting[j]] = a; });
  }
}

/** What an insert sends: the writable values, and the sys_id when the record is keyed by it. */
export function insertValues(spec: ObjectSpec, keyField: string, record: Rec): Rec {
  const values = toValues(writableValues(spec, record));
  const sysId = record[ID];
  return keyField === ID && typeof sysId === 'string' && sysId !== '' ? { ...values, [ID]: sysId } : values;
}

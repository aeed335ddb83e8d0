import { chunk, writeIsolatingFailures } from '../../platform/batch-isolation';
import type { FieldError, ObjectSpec, Rec, RecordResult, WriteOperation } from '../contract';
import type { BatchInput, BatchResponse, CrmApi, CrmRecord } from './crm-api';
import { classifyBatchRefusal } from './errors';
import { BATCH_LIMIT, ID_PROPERTY } from './objects';
import { keyValue, writableValues } from '../kit';
import { keyOfRecord, sameKey } from './records';

export type WriteOp = Exclude<WriteOperation, 'delete'>;

/** One record on its way to a batch call. */
interface PendingWrite {
  index: number;
  key: string;
  input: BatchInput;
}

interface WriteOutcome {
  outcome: 'created' | 'updated' | 'failed';
  id?: string;
  errors?: FieldError[];
}

/**
 * create → batch/create, update → batch/update (by id, or idProperty), upsert → batch/upsert by a
 * unique idProperty. HubSpot refuses a whole batch over one bad record: the refused records are
 * isolated (platform/batch-isolation) so the others are still written.
 */
export async function writeRecords(api: CrmApi, spec: ObjectSpec, op: WriteOp, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  const pending: PendingWrite[] = [];
  records.forEach((record, index) => {
    const key = keyValue(record, keyField);
    const refusal = refuseBeforeSending(spec, op, keyField, key);
    if (refusal) results.push({ index, key, outcome: 'failed', errors: [refusal] });
    else pending.push({ index, key, input: toInput(spec, op, keyField, key, record) });
  });

  for (const part of chunk(pending, BATCH_LIMIT)) {
    const outcomes = await writeIsolatingFailures<PendingWrite, WriteOutcome>(part, {
      write: (batch) => sendBatch(api, spec.name, op, keyField, batch),
      classify: (err) => classifyBatchRefusal(err, keyField),
      failed: (_item, errors) => ({ outcome: 'failed', errors }),
    });
    part.forEach((write, i) => {
      const { outcome, id, errors } = outcomes[i];
      results.push({ index: write.index, key: write.key || id || '', outcome, ...(id ? { id } : {}), ...(errors ? { errors } : {}) });
    });
  }
  return results.sort((a, b) => a.index - b.index);
}

function refuseBeforeSending(spec: ObjectSpec, op: WriteOp, keyField: string, key: string): FieldError | undefined {
  if (op === 'upsert' && keyField === ID_PROPERTY) {
    return { field: keyField, message: `HubSpot upserts by a property with unique values (${spec.naturalKeys.slice(1).join(', ')}), not by ${ID_PROPERTY}` };
  }
  if (op !== 'create' && key === '') return { field: keyField, message: `${keyField} is required to ${op} a ${spec.name} record` };
  return undefined;
}

function toInput(spec: ObjectSpec, op: WriteOp, keyField: string, key: string, record: Rec): BatchInput {
  const properties = writableValues(spec, record);
  if (op === 'create') return { properties };
  // The key property is sent too, so HubSpot echoes it and results can be matched to inputs.
  if (keyField === ID_PROPERTY) return { id: key, properties };
  return { id: key, idProperty: keyField, properties: { ...properties, [keyField]: record[keyField] } };
}

async function sendBatch(api: CrmApi, object: string, op: WriteOp, keyField: string, batch: PendingWrite[]): Promise<WriteOutcome[]> {
  const inputs = batch.map((w, i) => ({ ...w.input, objectWriteTraceId: String(i) }));
  const res = await api.batch(object, op, { inputs });
  const matched = matchResults(res, batch, op, keyField);
  const missing = new Set((res.errors ?? []).filter((e) => e.category === 'OBJECT_NOT_FOUND').flatMap((e) => e.context?.ids ?? []).map(sameKey));
  return batch.map((write, i) => {
    const record = matched[i];
    if (record) return { outcome: outcomeOf(op, record), id: record.id };
    const message = missing.has(sameKey(write.key))
      ? `no ${object} record with ${keyField} ${write.key} (it may be archived or never existed)`
      : 'HubSpot answered the batch without a result for this record';
    return { outcome: 'failed', errors: [{ field: keyField, message }] };
  });
}

function outcomeOf(op: WriteOp, record: CrmRecord): 'created' | 'updated' {
  if (op === 'create') return 'created';
  if (op === 'update') return 'updated';
  return record.new === true ? 'created' : 'updated';
}

/**
 * HubSpot does not promise results in input order: match by the echoed objectWriteTraceId, else by
 * the key, else (a create without a key) by position.
 */
function matchResults(res: BatchResponse, batch: PendingWrite[], op: WriteOp, keyField: string): Array<CrmRecord | undefined> {
  if (res.results.length > 0 && res.results.every((r) => r.objectWriteTraceId !== undefined)) {
    const byTrace = new Map(res.results.map((r) => [r.objectWriteTraceId, r]));
    return batch.map((_, i) => byTrace.get(String(i)));
  }
  const keyed = op !== 'create' || (keyField !== ID_PROPERTY && batch.every((w) => w.key !== ''));
  if (!keyed) return batch.map((_, i) => res.results[i]);
  const byKey = new Map<string, CrmRecord>();
  for (const record of res.results) {
    const key = keyOfRecord(record, keyField);
    if (key !== undefined) byKey.set(sameKey(key), record);
  }
  return batch.map((w) => byKey.get(sameKey(w.key)));
}

import type { FieldError, Rec, RecordResult, WriteOperation } from '../contract';
import { keyValue, versionOf } from '../kit';
import { runItems, type PlannedItem } from './batch-items';
import { findByKey } from './lookup';
import { ID_FIELD, type QboObject } from './objects';
import type { QboApi } from './qbo-api';
import { toEntity, type Entity } from './records';

export type WriteOp = Exclude<WriteOperation, 'delete'>;

/** What a record becomes: a batch item and the outcome it reports, or a refusal before sending. */
type Plan = { item: PlannedItem; outcome: 'created' | 'updated' } | { errors: FieldError[] };

/**
 * Creates, updates and upserts through the batch endpoint. Updates are sparse (only the fields a
 * record carries change) and name the entity's SyncToken: the record's own when it carries one,
 * else the one just read. An inactive customer or item (QuickBooks' deleted one) still holds its
 * name: a create or upsert by that name makes it active again with the record's values.
 */
export async function writeRecords(api: QboApi, target: QboObject, op: WriteOp, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const keys = records.map((r) => keyValue(r, keyField));
  const needsLookup = op !== 'create' || (keyField !== ID_FIELD && target.removal === 'deactivate');
  const current = needsLookup ? await findByKey(api, target, keyField, keys, { includeInactive: true }) : undefined;
  const plans = records.map((record, i) => plan(target, op, keyField, keys[i], record, current?.get(keys[i])));
  const sendable = plans.flatMap((p, index) => ('item' in p ? [{ index, item: p.item }] : []));
  const outcomes = await runItems(api, target, sendable.map((s) => s.item));
  const results: RecordResult[] = plans.map((p, index) => ({ index, key: keys[index], outcome: 'failed', errors: 'errors' in p ? p.errors : [] }));
  sendable.forEach(({ index }, i) => {
    const outcome = outcomes[i];
    const p = plans[index] as Extract<Plan, { item: PlannedItem }>;
    const id = outcome.ok ? String(outcome.entity.Id) : undefined;
    results[index] = outcome.ok
      ? { index, key: keys[index] || id!, id, outcome: p.outcome }
      : { index, key: keys[index], outcome: 'failed', errors: outcome.errors };
  });
  return results;
}

function plan(target: QboObject, op: WriteOp, keyField: string, key: string, record: Rec, current: Entity | undefined): Plan {
  const refuse = (field: string, message: string): Plan => ({ errors: [{ field, message }] });
  if (op === 'upsert' && keyField === ID_FIELD) return refuse(keyField, `QuickBooks assigns Ids: upsert ${target.entity} by ${target.spec.naturalKeys.slice(1).join(' or ')}`);
  if (op !== 'create' && key === '') return refuse(keyField, `${keyField} is required to ${op} a ${target.entity}`);
  const values = toEntity(target, record);
  if (!current) {
    if (op === 'update') return refuse(keyField, `no ${target.entity} with ${keyField} ${key}`);
    return { item: { operation: 'create', body: values }, outcome: 'created' };
  }
  const identity = { Id: String(current.Id), SyncToken: versionOf(target.spec, record) ?? String(current.SyncToken), sparse: true };
  if (current.Active === false) {
    if (op === 'update') return refuse(keyField, `${target.entity} ${String(current.Id)} with ${keyField} ${key} is inactive (deleted): create or upsert it to make it active again`);
    return { item: { operation: 'update', body: { ...values, ...identity, Active: true } }, outcome: 'created' };
  }
  if (op === 'create') return refuse(keyField, `a ${target.entity} with ${keyField} ${key} already exists (Id ${String(current.Id)})`);
  if (clearsAValue(values)) return { item: { operation: 'update', body: { ...fullUpdateOf(current, values), ...identity, sparse: false } }, outcome: 'updated' };
  return { item: { operation: 'update', body: { ...values, ...identity } }, outcome: 'updated' };
}

/** Properties QuickBooks computes or keeps itself: never sent back in a full update. */
const READ_ONLY_PROPERTIES = new Set(['Id', 'SyncToken', 'domain', 'sparse', 'MetaData', 'FullyQualifiedName', 'Balance', 'BalanceWithJobs', 'TotalAmt', 'status']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function clearsAValue(values: Record<string, unknown>): boolean {
  return Object.values(values).some((v) => v === null || (isObject(v) && clearsAValue(v)));
}

/**
 * A sparse update cannot clear a value (QuickBooks refuses null, e.g. a FreeFormNumber); a full
 * update sets every writable property it leaves out to NULL (Accounting API, "Full update"). So a
 * record that clears something (a rollback putting back an absent phone) is sent as the current
 * entity with its values applied and its nulls left out: a sub-object left empty goes as a whole.
 */
function fullUpdateOf(current: Entity, values: Record<string, unknown>): Record<string, unknown> {
  const writable = Object.fromEntries(Object.entries(current).filter(([name]) => !READ_ONLY_PROPERTIES.has(name)));
  return withoutNulls(merged(writable, values));
}

function merged(base: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(values)) out[name] = isObject(value) && isObject(base[name]) ? merged(base[name], value) : value;
  return out;
}

function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    if (isObject(v)) {
      const inner = withoutNulls(v);
      if (Object.keys(inner).length > 0) out[name] = inner;
    } else out[name] = v;
  }
  return out;
}

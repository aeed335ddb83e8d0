import { mapWithConcurrency } from '../../platform/concurrency';
import { sameValue } from '../../platform/load/compare';
import type { FieldError, Rec, RecordResult, WriteOperation } from '../contract';
import { recordErrors } from './errors';
import { findAllLive, inactivePrices } from './lookup';
import { ID_FIELD, WRITE_CONCURRENCY, type StripeObject } from './objects';
import { keyValue } from '../kit';
import { flattenRecord, paramOf, toParams, toRecord, type StripeEntity } from './records';
import type { StripeApi } from './stripe-api';

export type WriteOp = Exclude<WriteOperation, 'delete'>;

/**
 * One request per record (Stripe takes one object per call), WRITE_CONCURRENCY at once. Every POST
 * carries an idempotency key derived from the load's key for the record and what the request does
 * (`<key>`, `<key>-update`, `<key>-replace`...), so a retried activity replays Stripe's saved answers
 * instead of writing twice. Refused parameters fail their record; anything else (auth, rate limits,
 * outages) is thrown for the activity's retry policy, after the requests in flight have finished.
 */
export async function writeRecords(api: StripeApi, object: StripeObject, op: WriteOp, keyField: string, records: Rec[],
  idempotencyKeys: Array<string | undefined>): Promise<RecordResult[]> {
  const keys = records.map((record) => keyValue(record, keyField));
  const existing = op === 'create' ? new Map<string, StripeEntity | null>() : await findAllLive(api, object, keyField, keys.filter((k) => k !== ''));
  return mapWithConcurrency(records, WRITE_CONCURRENCY, async (record, index) => {
    const key = keys[index];
    const failed = (errors: FieldError[]): RecordResult => ({ index, key, outcome: 'failed', errors });
    const refusal = refuseBeforeSending(object, op, keyField, key);
    if (refusal) return failed([refusal]);
    try {
      const written = await writeOne(api, object, op, { keyField, key, current: existing.get(key) ?? null }, record, idempotencyKeys[index]);
      if ('errors' in written) return failed(written.errors);
      return { index, key: key || written.id, id: written.id, outcome: written.outcome };
    } catch (err) {
      const errors = recordErrors(err);
      if (errors) return failed(errors);
      throw err;
    }
  });
}

type Written = { outcome: 'created' | 'updated'; id: string } | { errors: FieldError[] };

function refuseBeforeSending(object: StripeObject, op: WriteOp, keyField: string, key: string): FieldError | undefined {
  if (op === 'upsert' && keyField === ID_FIELD) {
    return { field: keyField, message: `Stripe chooses ids itself: upsert ${object.spec.name} by ${object.spec.naturalKeys.slice(1).join(' or ')}, not by id` };
  }
  if (op !== 'create' && key === '') return { field: keyField, message: `${keyField} is required to ${op} a ${object.spec.name} record` };
  return undefined;
}

/** The record's key and the live object it names (null: none), looked up once per batch. */
interface Target {
  keyField: string;
  key: string;
  current: StripeEntity | null;
}

async function writeOne(api: StripeApi, object: StripeObject, op: WriteOp, { keyField, key, current }: Target, record: Rec,
  idempotencyKey: string | undefined): Promise<Written> {
  const spec = object.spec;
  if (!current) {
    if (op === 'update') return { errors: [{ field: keyField, message: `no ${spec.name} record with ${keyField} ${key}` }] };
    const created = await api.create(spec.name, toParams(spec, record, { forCreate: true }), idempotencyKey);
    return { outcome: 'created', id: created.id };
  }
  const changedForever = immutableChanges(object, record, current);
  if (changedForever.length > 0) {
    if (object.stripeType !== 'price') {
      return { errors: changedForever.map((field) => ({ field, message: `${field} cannot be changed once a ${object.stripeType} exists` })) };
    }
    return replacePrice(api, object, keyField, key, record, current, idempotencyKey);
  }
  const params = toParams(spec, record, { leaveOut: object.createOnly });
  const updated = await api.update(spec.name, current.id, params, derivedKey(idempotencyKey, 'update'));
  return { outcome: 'updated', id: updated.id };
}

/** The create-only fields the record sets to something other than what the object has. */
function immutableChanges(object: StripeObject, record: Rec, current: StripeEntity): string[] {
  const have = toRecord(current);
  const wanted = flattenRecord(record);
  return Object.keys(wanted).filter((field) => object.createOnly.includes(paramOf(field)) && !sameValue(wanted[field], have[field]));
}

/**
 * A price's amount, currency, product and recurrence never change: the "update" makes the price
 * with the new values current and deactivates the old one. When an inactive price with the same
 * external id already has the wanted values (the one a rollback wants back), it is reactivated
 * instead of creating yet another. The new price is made first, so the key never finds nothing.
 */
async function replacePrice(api: StripeApi, object: StripeObject, keyField: string, key: string, record: Rec, current: StripeEntity,
  idempotencyKey: string | undefined): Promise<Written> {
  if (keyField === ID_FIELD) {
    return {
      errors: immutableChanges(object, record, current).map((field) => ({
        field,
        message: `${field} of a price cannot change: Stripe needs a new price (new id). Update prices by metadata.external_id to replace them, or create a new one.`,
      })),
    };
  }
  const desired: Rec = { ...toRecord(current), ...flattenRecord(record), active: true };
  const earlier = (await inactivePrices(api, object, keyField, key))
    .filter((p) => immutableChanges(object, desired, p).length === 0)
    .sort((a, b) => Number(b.created ?? 0) - Number(a.created ?? 0))[0];
  const replacement = earlier
    ? await api.update('prices', earlier.id, { ...toParams(object.spec, record, { leaveOut: object.createOnly }), active: 'true' }, derivedKey(idempotencyKey, 'reactivate'))
    : await api.create('prices', {
      ...toParams(object.spec, desired, { forCreate: true, writableOnly: true }),
      ...(desired.lookup_key ? { transfer_lookup_key: 'true' } : {}),
    }, derivedKey(idempotencyKey, 'replace'));
  await api.update('prices', current.id, { active: 'false' }, derivedKey(idempotencyKey, `deactivate-${current.id}`));
  return { outcome: 'updated', id: replacement.id };
}

export function derivedKey(idempotencyKey: string | undefined, step: string): string | undefined {
  return idempotencyKey === undefined ? undefined : `${idempotencyKey}-${step}`;
}

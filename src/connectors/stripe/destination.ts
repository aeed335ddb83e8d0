import { mapWithConcurrency } from '../../platform/concurrency';
import type { DestinationContract, Key, Rec, RecordResult } from '../contract';
import { recordErrors } from './errors';
import { findAllLive, findLive } from './lookup';
import { ID_FIELD, stripeObject, WRITE_CONCURRENCY, type StripeObject } from './objects';
import { toParams, toRecord } from './records';
import type { StripeApi } from './stripe-api';
import { derivedKey, writeRecords } from './writer';

/** Reads that confirm a delete, spaced out in case reads lag the delete. */
const CONFIRM_ATTEMPTS = 3;
const CONFIRM_BACKOFF_MS = 200;

export interface StripeDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

export function stripeDestination(api: StripeApi, options: StripeDestinationOptions = {}): DestinationContract {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  return {
    async read(object, keyField, keys) {
      const found = await findAllLive(api, stripeObject(object), keyField, keys);
      return new Map(keys.map((key) => {
        const entity = found.get(key) ?? null;
        return [key, entity ? toRecord(entity) : null];
      }));
    },

    write: (object, op, keyField, records, writeOptions) =>
      writeRecords(api, stripeObject(object), op, keyField, records, writeOptions?.idempotencyKeys ?? []),

    /**
     * Customers, products and draft invoices: DELETE. Prices cannot be deleted: they are deactivated.
     * Each is confirmed by a read by id that no longer finds it; a delete Stripe answered with
     * success but that left the object in place is reported as failed.
     */
    async delete(object, keyField, keys, deleteOptions) {
      const target = stripeObject(object);
      const attempted = await mapWithConcurrency(keys, WRITE_CONCURRENCY, async (key, index): Promise<RecordResult> => {
        const current = await findLive(api, target, keyField, key);
        if (!current) return { index, key, outcome: 'deleted' }; // nothing to delete: already gone
        try {
          await deleteOne(api, target, current.id, deleteOptions?.idempotencyKeys?.[index]);
          return { index, key, id: current.id, outcome: 'deleted' };
        } catch (err) {
          const errors = recordErrors(err);
          if (errors) return { index, key, id: current.id, outcome: 'failed', errors };
          throw err;
        }
      });
      const stillThere = await confirmGone(api, target, attempted.filter((r) => r.outcome === 'deleted' && r.id).map((r) => r.id!), wait);
      return attempted.map((r) => (r.id && r.outcome === 'deleted' && stillThere.has(r.id)
        ? { ...r, outcome: 'failed', errors: [{ field: keyField, message: `Stripe answered success to the delete of ${object} ${r.id}, but it is still there (read back ${CONFIRM_ATTEMPTS} times)` }] }
        : r));
    },

    /**
     * Stripe cannot undelete: a deleted customer, product or invoice is re-created from its
     * before-image (new id). A price is never deleted, only deactivated: it is reactivated.
     */
    async restore(object, _keyField, before, restoreOptions) {
      const target = stripeObject(object);
      const formerId = typeof before[ID_FIELD] === 'string' ? before[ID_FIELD] : undefined;
      if (target.stripeType === 'price' && formerId) {
        const former = await api.retrieve('prices', formerId);
        if (former && former.active === false) {
          await api.update('prices', formerId, { active: 'true' }, derivedKey(restoreOptions?.idempotencyKey, 'reactivate'));
          return { id: formerId, recreated: false };
        }
      }
      const created = await api.create(target.spec.name, recreateParams(target, before), restoreOptions?.idempotencyKey);
      return { id: created.id, recreated: true };
    },
  };
}

async function deleteOne(api: StripeApi, target: StripeObject, id: string, idempotencyKey: string | undefined): Promise<void> {
  if (target.stripeType === 'price') await api.update('prices', id, { active: 'false' }, derivedKey(idempotencyKey, 'deactivate'));
  else await api.remove(target.spec.name, id);
}

function recreateParams(target: StripeObject, before: Rec): Record<string, unknown> {
  return toParams(target.spec, before, { forCreate: true, writableOnly: true });
}

/** The ids a read by id still finds, retried briefly for reads that lag. */
async function confirmGone(api: StripeApi, target: StripeObject, ids: string[], wait: (ms: number) => Promise<void>): Promise<Set<Key>> {
  let remaining = ids;
  for (let attempt = 1; remaining.length > 0 && attempt <= CONFIRM_ATTEMPTS; attempt++) {
    if (attempt > 1) await wait(CONFIRM_BACKOFF_MS * (attempt - 1));
    const current = await findAllLive(api, target, ID_FIELD, remaining);
    remaining = remaining.filter((id) => current.get(id) !== null);
  }
  return new Set(remaining);
}

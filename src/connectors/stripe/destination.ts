import type { DestinationContract, Rec } from '../contract';
import { deleteConfirmed, removeEach, restoreOrRecreate, sleep } from '../kit';
import { recordErrors } from './errors';
import { findAllLive } from './lookup';
import { ID_FIELD, stripeObject, WRITE_CONCURRENCY, type StripeObject } from './objects';
import { toParams, toRecord } from './records';
import type { StripeApi } from './stripe-api';
import { derivedKey, writeRecords } from './writer';

export interface StripeDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

export function stripeDestination(api: StripeApi, options: StripeDestinationOptions = {}): DestinationContract {
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
    delete(object, keyField, keys, deleteOptions) {
      const target = stripeObject(object);
      return deleteConfirmed({
        systemName: 'Stripe', object, keyField, keys, wait: options.wait ?? sleep,
        idsOf: async (wanted) => new Map([...(await findAllLive(api, target, keyField, wanted)).entries()].map(([key, found]) => [key, found?.id ?? null])),
        remove: (targets) => removeEach(targets, WRITE_CONCURRENCY,
          (t) => deleteOne(api, target, t.id, deleteOptions?.idempotencyKeys?.[t.index]), recordErrors),
        stillPresent: async (ids) => {
          const current = await findAllLive(api, target, ID_FIELD, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * Stripe cannot undelete: a deleted customer, product or invoice is re-created from its
     * before-image (new id). A price is never deleted, only deactivated: it is reactivated.
     */
    restore(object, _keyField, before, restoreOptions) {
      const target = stripeObject(object);
      const formerId = typeof before[ID_FIELD] === 'string' ? before[ID_FIELD] : undefined;
      return restoreOrRecreate({
        native: async () => {
          if (target.stripeType !== 'price' || !formerId) return null;
          const former = await api.retrieve('prices', formerId);
          if (!former || former.active !== false) return null;
          await api.update('prices', formerId, { active: 'true' }, derivedKey(restoreOptions?.idempotencyKey, 'reactivate'));
          return formerId;
        },
        recreate: async () => (await api.create(target.spec.name, recreateParams(target, before), restoreOptions?.idempotencyKey)).id,
      });
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

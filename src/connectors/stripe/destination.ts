import type { DestinationContract, Rec } from '../contract';
import { mapWithConcurrency } from '../../platform/concurrency';
import { deleteConfirmed, removeEach, restoreOrRecreate, sleep } from '../kit';
import { recordErrors } from './errors';
import { findAllLive } from './lookup';
import { ID_FIELD, stripeObject, WRITE_CONCURRENCY, type StripeObject } from './objects';
import { toParams, toRecord, type InvoiceLine, type StripeEntity } from './records';
import type { StripeApi } from './stripe-api';
import { derivedKey, writeRecords } from './writer';

export interface StripeDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

export function stripeDestination(api: StripeApi, options: StripeDestinationOptions = {}): DestinationContract {
  return {
    async read(object, keyField, keys) {
      const target = stripeObject(object);
      const found = await findAllLive(api, target, keyField, keys);
      const entities = await mapWithConcurrency(keys, WRITE_CONCURRENCY, async (key) => {
        const entity = found.get(key) ?? null;
        return entity && target.stripeType === 'invoice' ? withAllLines(api, entity) : entity;
      });
      return new Map(keys.map((key, i) => [key, entities[i] ? toRecord(entities[i]) : null]));
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
     * before-image (new id); a draft invoice gets its line items back as invoice items. A price is
     * never deleted, only deactivated: it is reactivated.
     */
    restore(object, _keyField, before, restoreOptions) {
      const target = stripeObject(object);
      const formerId = typeof before[ID_FIELD] === 'string' ? before[ID_FIELD] : undefined;
      const key = restoreOptions?.idempotencyKey;
      return restoreOrRecreate({
        native: async () => {
          if (target.stripeType !== 'price' || !formerId) return null;
          const former = await api.retrieve('prices', formerId);
          if (!former || former.active !== false) return null;
          await api.update('prices', formerId, { active: 'true' }, derivedKey(key, 'reactivate'));
          return formerId;
        },
        recreate: async () => {
          const created = await api.create(target.spec.name, recreateParams(target, before), key);
          if (target.stripeType === 'invoice') await addLines(api, created, Array.isArray(before.lines) ? (before.lines as InvoiceLine[]) : [], key);
          return created.id;
        },
      });
    },
  };
}

async function deleteOne(api: StripeApi, target: StripeObject, id: string, idempotencyKey: string | undefined): Promise<void> {
  if (target.stripeType === 'price') await api.update('prices', id, { active: 'false' }, derivedKey(idempotencyKey, 'deactivate'));
  else await api.remove(target.spec.name, id);
}

function recreateParams(target: StripeObject, before: Rec): Record<string, unknown> {
  const params = toParams(target.spec, before, { forCreate: true, writableOnly: true });
  // A re-created draft takes only the line items added back below, never the customer's pending ones.
  return target.stripeType === 'invoice' ? { ...params, pending_invoice_items_behavior: 'exclude' } : params;
}

/** An invoice as read: every line item, also those past the ten Stripe embeds (`lines.has_more`). */
async function withAllLines(api: StripeApi, invoice: StripeEntity): Promise<StripeEntity> {
  const lines = invoice.lines as { has_more?: boolean } | undefined;
  if (!lines?.has_more) return invoice;
  return { ...invoice, lines: { ...lines, data: await api.invoiceLines(invoice.id), has_more: false } };
}

/**
 * The before-image's line items as invoice items on the re-created draft, in their order (one at a
 * time: Stripe orders lines as they are added): by price and quantity where the line billed a price,
 * else by amount and currency. Each has its own idempotency key, so a retried restore adds none twice.
 */
async function addLines(api: StripeApi, invoice: StripeEntity, lines: InvoiceLine[], idempotencyKey: string | undefined): Promise<void> {
  for (const [i, line] of lines.entries()) {
    const priced = line.price
      ? { pricing: { price: line.price }, ...(line.quantity !== null ? { quantity: String(line.quantity) } : {}) }
      : { amount: String(line.amount), currency: line.currency };
    await api.create('invoiceitems', {
      customer: invoice.customer, invoice: invoice.id, ...priced,
      ...(line.description ? { description: line.description } : {}),
      ...(Object.keys(line.metadata).length > 0 ? { metadata: line.metadata } : {}),
    }, derivedKey(idempotencyKey, `line-${i}`));
  }
}

import { ReplyError, type HandlerContext, type StoredRecord } from '../kit';
import { invalidParam, noSuch, stripeError } from './errors';
import type { Params } from './form';
import {
  applyMetadata, booleanParam, enumParam, hashParam, integerParam, refuseUnknown, requiredString, stringParam,
} from './params';
import { defined, metadataOf, unixSeconds, type Fields, type ResourceSpec } from './resources';
import { isLegacy } from './versions';

/**
 * Draft invoices and their invoice items (docs.stripe.com/api/invoices, /api/invoiceitems,
 * /api/invoices/invoice_lines): an invoice item created with `invoice=<draft>` is one of its line
 * items; the invoice shows its lines (`lines`, the first ten, and GET /v1/invoices/:id/lines) and
 * totals from them. A draft can be updated and deleted (its items go with it); a finalized invoice
 * takes no changes and no new items. `due_date` is what an invoice shows; `days_until_due` is a
 * parameter only (it sets due_date from the creation date). Line items and invoice items are kept
 * in 2025-09-30.clover shapes (`pricing`, `parent`); versions.ts renders the older ones.
 */
const INVOICE_CREATE_PARAMS = ['customer', 'description', 'metadata', 'auto_advance', 'collection_method', 'days_until_due', 'due_date', 'currency', 'footer',
  'pending_invoice_items_behavior'];
const INVOICE_UPDATE_PARAMS = ['description', 'metadata', 'auto_advance', 'collection_method', 'days_until_due', 'due_date', 'footer'];
const COLLECTION_METHODS = ['charge_automatically', 'send_invoice'] as const;
const DAY = 86_400;
/** Lines an invoice object carries inline (the rest through GET /v1/invoices/:id/lines). */
const INLINE_LINES = 10;

function requireDraft(current: Fields, what: string): void {
  if (current.status !== 'draft') {
    throw new ReplyError(stripeError(400, { code: 'invoice_not_editable', message: `You can only ${what} draft invoices. This invoice is ${String(current.status)}.` }));
  }
}

/** due_date (unix seconds) from `due_date` or `days_until_due`, valid only with collection_method=send_invoice. */
function dueDateOf(params: Params, collection: string, createdSeconds: number): number | undefined {
  const dueDate = integerParam(params, 'due_date');
  const days = integerParam(params, 'days_until_due');
  const given = dueDate ?? (days === undefined ? undefined : createdSeconds + days * DAY);
  if (given !== undefined && collection !== 'send_invoice') {
    invalidParam(dueDate !== undefined ? 'due_date' : 'days_until_due', 'Invoices with `collection_method=charge_automatically` cannot have a due date.');
  }
  return given;
}

export const invoices: ResourceSpec = {
  collection: 'invoices',
  object: 'invoice',
  idPrefix: 'in',
  deletion: 'remove',
  searchFields: ['customer', 'status', 'currency', 'created', 'total'],
  create(params, ctx) {
    refuseUnknown(params, INVOICE_CREATE_PARAMS);
    const customer = requiredString(params, 'customer');
    const owner = ctx.records.latest('customers', customer);
    if (!owner || owner.archived) noSuch('customer', customer, 'customer');
    enumParam(params, 'pending_invoice_items_behavior', ['exclude', 'include'] as const);
    const collection = enumParam(params, 'collection_method', COLLECTION_METHODS) ?? 'charge_automatically';
    const now = unixSeconds(ctx.clock.nowIso());
    const dueDate = dueDateOf(params, collection, now) ?? null;
    if (collection === 'send_invoice' && dueDate === null) invalidParam('days_until_due', 'Missing required param: days_until_due.', 'parameter_missing');
    return {
      account_country: 'US', amount_overpaid: 0, amount_paid: 0, amount_shipping: 0, attempt_count: 0, attempted: false,
      auto_advance: booleanParam(params, 'auto_advance') ?? false,
      automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
      collection_method: collection, currency: (stringParam(params, 'currency') ?? 'usd').toLowerCase(), customer,
      customer_email: owner.fields.email ?? null, default_tax_rates: [], description: stringParam(params, 'description') ?? null, discounts: [],
      due_date: dueDate, footer: stringParam(params, 'footer') ?? null, issuer: { type: 'self' }, metadata: applyMetadata({}, params), number: null,
      payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null }, period_end: now, period_start: now,
      post_payment_credit_notes_amount: 0, pre_payment_credit_notes_amount: 0, starting_balance: 0, status: 'draft',
      status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    };
  },
  update(current, params) {
    requireDraft(current, 'update');
    refuseUnknown(params, INVOICE_UPDATE_PARAMS);
    const collection = enumParam(params, 'collection_method', COLLECTION_METHODS);
    const effective = collection ?? String(current.collection_method);
    const created = Number(current.period_start);
    const dueDate = dueDateOf(params, effective, created);
    if (effective === 'send_invoice' && dueDate === undefined && current.due_date === null) {
      invalidParam('days_until_due', 'Missing required param: days_until_due.', 'parameter_missing');
    }
    return defined({
      auto_advance: booleanParam(params, 'auto_advance'), collection_method: collection,
      due_date: effective === 'charge_automatically' ? null : dueDate, description: stringParam(params, 'description'), footer: stringParam(params, 'footer'),
      metadata: params.metadata === undefined ? undefined : applyMetadata(metadataOf(current), params),
    });
  },
  checkDelete(record) {
    requireDraft(record.fields, 'delete');
  },
  afterDelete(record, ctx) {
    for (const item of itemsOf(ctx, record.id)) ctx.records.remove(INVOICE_ITEMS, item.id);
  },
  derived(invoice, ctx) {
    const lines = itemsOf(ctx, String(invoice.id)).map(lineOf);
    const total = lines.reduce((sum, l) => sum + Number(l.amount), 0);
    const open = invoice.status === 'draft' || invoice.status === 'open';
    return {
      amount_due: total, amount_remaining: open ? total : 0, subtotal: total, subtotal_excluding_tax: total, total, total_excluding_tax: total,
      lines: { object: 'list', data: lines.slice(0, INLINE_LINES), has_more: lines.length > INLINE_LINES, total_count: lines.length, url: `/v1/invoices/${String(invoice.id)}/lines` },
    };
  },
};

export const INVOICE_ITEMS = 'invoiceitems';
const ITEM_PARAMS = ['customer', 'invoice', 'amount', 'currency', 'description', 'metadata', 'pricing', 'quantity', 'unit_amount_decimal', 'period', 'discountable'];
const LEGACY_ITEM_PARAMS = [...ITEM_PARAMS.filter((p) => p !== 'pricing'), 'price', 'unit_amount'];

/** The invoice's items, oldest first (the order of its lines). */
export function itemsOf(ctx: HandlerContext, invoiceId: string): StoredRecord[] {
  return ctx.records.latestAll(INVOICE_ITEMS).filter((i) => !i.archived && i.fields.invoice === invoiceId);
}

/** An invoice item as its invoice's line item (2025-09-30.clover shape). */
export function lineOf(item: StoredRecord): Fields {
  const f = item.fields;
  return {
    id: `il_${item.id.slice(item.id.indexOf('_') + 1)}`, object: 'line_item', amount: f.amount, currency: f.currency, description: f.description,
    discount_amounts: [], discountable: f.discountable, discounts: [], invoice: f.invoice, livemode: false, metadata: f.metadata,
    parent: {
      invoice_item_details: { invoice_item: item.id, proration: false, proration_details: { credited_items: null }, subscription: null },
      subscription_item_details: null, type: 'invoice_item_details',
    },
    period: f.period, pretax_credit_amounts: [], pricing: f.pricing, quantity: f.quantity, subscription: null, taxes: [],
  };
}

/** How an item is priced: a price (`pricing[price]`, `price` in older versions), or an amount with its currency. */
function pricingOf(params: Params, ctx: HandlerContext, legacy: boolean): { amount: number; currency: string; quantity: number; pricing: Fields | null } {
  const quantity = integerParam(params, 'quantity') ?? 1;
  if (quantity < 0) invalidParam('quantity', 'This value must be greater than or equal to 0.', 'parameter_invalid_integer');
  const priceParam = legacy ? 'price' : 'pricing[price]';
  const priceId = legacy ? stringParam(params, 'price') : stringParam(hashParam(params, 'pricing', ['price']) ?? {}, 'price');
  const amount = integerParam(params, 'amount');
  if (priceId && amount !== undefined) invalidParam('amount', `You may only specify one of these parameters: amount, ${priceParam}.`);
  if (priceId) {
    const price = ctx.records.latest('prices', priceId);
    if (!price) noSuch('price', priceId, priceParam);
    if (price.fields.active === false) invalidParam(priceParam, `The price specified (${priceId}) is inactive. This field only accepts active prices.`);
    const unit = Number(price.fields.unit_amount);
    return {
      amount: unit * quantity, currency: String(price.fields.currency), quantity,
      pricing: { price_details: { price: priceId, product: price.fields.product }, type: 'price_details', unit_amount_decimal: String(unit) },
    };
  }
  const unitDecimal = stringParam(params, 'unit_amount_decimal') ?? (legacy ? stringParam(params, 'unit_amount') : undefined);
  if (amount === undefined && !unitDecimal) invalidParam('amount', `Missing required param: amount (or ${priceParam}, or unit_amount_decimal).`, 'parameter_missing');
  const currency = stringParam(params, 'currency');
  if (!currency) invalidParam('currency', 'Missing required param: currency.', 'parameter_missing');
  const total = amount ?? Math.round(Number(unitDecimal) * quantity);
  return { amount: total, currency: currency.toLowerCase(), quantity, pricing: null };
}

export const invoiceItems: ResourceSpec = {
  collection: INVOICE_ITEMS,
  object: 'invoiceitem',
  idPrefix: 'ii',
  deletion: 'remove',
  searchFields: [],
  timestampField: 'date',
  create(params, ctx, version) {
    const legacy = isLegacy(version);
    refuseUnknown(params, legacy ? LEGACY_ITEM_PARAMS : ITEM_PARAMS);
    const customer = requiredString(params, 'customer');
    const owner = ctx.records.latest('customers', customer);
    if (!owner || owner.archived) noSuch('customer', customer, 'customer');
    const invoiceId = stringParam(params, 'invoice') ?? null;
    if (invoiceId !== null) {
      const invoice = ctx.records.latest('invoices', invoiceId);
      if (!invoice) noSuch('invoice', invoiceId, 'invoice');
      requireDraft(invoice.fields, 'add items to');
      if (invoice.fields.customer !== customer) invalidParam('invoice', `The invoice ${invoiceId} belongs to another customer.`);
    }
    const priced = pricingOf(params, ctx, legacy);
    const now = unixSeconds(ctx.clock.nowIso());
    return {
      amount: priced.amount, currency: priced.currency, customer, description: stringParam(params, 'description') ?? null,
      discountable: booleanParam(params, 'discountable') ?? true, discounts: [], invoice: invoiceId, metadata: applyMetadata({}, params),
      net_amount: priced.amount, parent: null, period: { end: now, start: now }, pricing: priced.pricing, proration: false,
      proration_details: { discount_amounts: [] }, quantity: priced.quantity, tax_rates: [], test_clock: null,
    };
  },
  update(current, params, ctx) {
    const invoice = typeof current.invoice === 'string' ? ctx.records.latest('invoices', current.invoice) : undefined;
    if (invoice) requireDraft(invoice.fields, 'change items of');
    refuseUnknown(params, ['description', 'metadata']);
    return defined({
      description: stringParam(params, 'description'),
      metadata: params.metadata === undefined ? undefined : applyMetadata(metadataOf(current), params),
    });
  },
  checkDelete(record, ctx) {
    const invoiceId = record.fields.invoice;
    if (typeof invoiceId !== 'string') return;
    const invoice = ctx.records.latest('invoices', invoiceId);
    if (invoice) requireDraft(invoice.fields, 'remove items from');
  },
};

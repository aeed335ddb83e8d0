import { ReplyError, type HandlerContext, type StoredRecord } from '../kit';
import { invalidParam, noSuch, stripeError } from './errors';
import type { Params } from './form';
import {
  applyMetadata, booleanParam, emailParam, enumParam, integerParam, refuseUnknown, requiredString, stringParam,
} from './params';

/**
 * The four Stripe resources the sandbox serves, as data: how each is created, updated, shown and
 * deleted (docs.stripe.com/api/customers, /products, /prices, /invoices).
 */
export type Fields = Record<string, unknown>;

export interface ResourceSpec {
  /** The store's object name and the URL segment: 'customers'. */
  collection: string;
  /** Stripe's `object` value: 'customer'. */
  object: string;
  idPrefix: string;
  create(params: Params, ctx: HandlerContext): Fields;
  update(current: Fields, params: Params, ctx: HandlerContext): Fields;
  /** How DELETE works: customers stay as `deleted: true` stubs, products and draft invoices are gone, prices cannot be deleted. */
  deletion: 'stub' | 'remove' | 'none';
  /** Refuses a DELETE Stripe would refuse (a product with prices, an invoice that is not a draft). */
  checkDelete?(record: StoredRecord, ctx: HandlerContext): void;
  /** Fields the search query language knows for this resource (besides metadata['key']). */
  searchFields: string[];
}

export const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

const metadataOf = (fields: Fields): Record<string, string> => (fields.metadata as Record<string, string> | undefined) ?? {};

/** A patch from the given params only: undefined (absent) params are left out. */
function defined(patch: Fields): Fields {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

const CUSTOMER_PARAMS = ['email', 'name', 'description', 'phone', 'metadata', 'balance', 'invoice_prefix', 'preferred_locales', 'address', 'tax_exempt'];

export const customers: ResourceSpec = {
  collection: 'customers',
  object: 'customer',
  idPrefix: 'cus',
  deletion: 'stub',
  searchFields: ['email', 'name', 'phone', 'created'],
  create(params) {
    refuseUnknown(params, CUSTOMER_PARAMS);
    return {
      address: params.address ?? null, balance: integerParam(params, 'balance') ?? 0, currency: null, default_source: null,
      delinquent: false, description: stringParam(params, 'description') ?? null, discount: null, email: emailParam(params) ?? null,
      invoice_prefix: stringParam(params, 'invoice_prefix') ?? 'SBX0001', metadata: applyMetadata({}, params),
      name: stringParam(params, 'name') ?? null, phone: stringParam(params, 'phone') ?? null,
      preferred_locales: Array.isArray(params.preferred_locales) ? params.preferred_locales : [], shipping: null, tax_exempt: stringParam(params, 'tax_exempt') ?? 'none', test_clock: null,
    };
  },
  update(current, params) {
    refuseUnknown(params, CUSTOMER_PARAMS);
    return defined({
      address: params.address === '' ? null : params.address, balance: integerParam(params, 'balance') ?? undefined,
      description: stringParam(params, 'description'), email: emailParam(params), name: stringParam(params, 'name'),
      phone: stringParam(params, 'phone'), invoice_prefix: stringParam(params, 'invoice_prefix') ?? undefined,
      metadata: params.metadata === undefined ? undefined : applyMetadata(metadataOf(current), params),
    });
  },
};

const PRODUCT_PARAMS = ['name', 'description', 'active', 'metadata', 'images', 'url', 'unit_label', 'statement_descriptor', 'shippable'];

export const products: ResourceSpec = {
  collection: 'products',
  object: 'product',
  idPrefix: 'prod',
  deletion: 'remove',
  searchFields: ['name', 'active', 'description', 'url', 'created'],
  create(params, ctx) {
    refuseUnknown(params, PRODUCT_PARAMS);
    return {
      active: booleanParam(params, 'active') ?? true, default_price: null, description: stringParam(params, 'description') ?? null,
      images: Array.isArray(params.images) ? params.images : [], metadata: applyMetadata({}, params), name: requiredString(params, 'name'),
      package_dimensions: null, shippable: booleanParam(params, 'shippable') ?? null, statement_descriptor: stringParam(params, 'statement_descriptor') ?? null,
      tax_code: null, unit_label: stringParam(params, 'unit_label') ?? null, updated: unixSeconds(ctx.clock.nowIso()), url: stringParam(params, 'url') ?? null,
    };
  },
  update(current, params, ctx) {
    refuseUnknown(params, PRODUCT_PARAMS);
    const name = stringParam(params, 'name');
    if (name === null) invalidParam('name', 'You cannot unset a product name.', 'parameter_invalid_empty');
    return defined({
      active: booleanParam(params, 'active'), description: stringParam(params, 'description'), name,
      url: stringParam(params, 'url'), unit_label: stringParam(params, 'unit_label'),
      statement_descriptor: stringParam(params, 'statement_descriptor'),
      metadata: params.metadata === undefined ? undefined : applyMetadata(metadataOf(current), params),
      updated: unixSeconds(ctx.clock.nowIso()),
    });
  },
  checkDelete(record, ctx) {
    const hasPrices = ctx.records.latestAll('prices').some((p) => p.fields.product === record.id);
    if (hasPrices) {
      throw new ReplyError(stripeError(400, { message: 'This product cannot be deleted because it has one or more user-created prices.' }));
    }
  },
};

const CURRENCIES = ['usd', 'eur', 'gbp', 'jpy', 'cad', 'aud', 'chf', 'sek', 'nok', 'dkk'];
const PRICE_CREATE_PARAMS = ['currency', 'unit_amount', 'product', 'recurring', 'nickname', 'metadata', 'active', 'lookup_key', 'tax_behavior'];
/** Everything else on a price is immutable: Stripe answers "Received unknown parameter" for it on update. */
const PRICE_UPDATE_PARAMS = ['active', 'metadata', 'nickname', 'lookup_key', 'tax_behavior', 'transfer_lookup_key'];
const TAX_BEHAVIORS = ['exclusive', 'inclusive', 'unspecified'] as const;

function recurringOf(params: Params): Fields | null {
  const given = params.recurring;
  if (given === undefined || given === '') return null;
  if (typeof given !== 'object' || given === null) invalidParam('recurring', 'Invalid hash');
  const recurring = given as Params;
  const interval = recurring.interval;
  if (!['day', 'week', 'month', 'year'].includes(String(interval))) invalidParam('recurring[interval]', `Invalid recurring[interval]: must be one of day, week, month, or year`);
  const count = recurring.interval_count === undefined ? 1 : Number(recurring.interval_count);
  if (!Number.isInteger(count) || count < 1) invalidParam('recurring[interval_count]', `Invalid integer: ${String(recurring.interval_count)}`, 'parameter_invalid_integer');
  return { aggregate_usage: null, interval, interval_count: count, trial_period_days: null, usage_type: 'licensed' };
}

export const prices: ResourceSpec = {
  collection: 'prices',
  object: 'price',
  idPrefix: 'price',
  deletion: 'none',
  searchFields: ['active', 'currency', 'lookup_key', 'product', 'type', 'created'],
  create(params, ctx) {
    refuseUnknown(params, PRICE_CREATE_PARAMS);
    const currency = requiredString(params, 'currency').toLowerCase();
    if (!CURRENCIES.includes(currency)) invalidParam('currency', `Invalid currency: ${currency}. Stripe currently supports these currencies: ${CURRENCIES.join(', ')}`);
    const unitAmount = integerParam(params, 'unit_amount');
    if (unitAmount === undefined || unitAmount === null) invalidParam('unit_amount', 'Missing required param: unit_amount.', 'parameter_missing');
    if (unitAmount < 0) invalidParam('unit_amount', 'This value must be greater than or equal to 0.', 'parameter_invalid_integer');
    const product = requiredString(params, 'product');
    if (!ctx.records.latest('products', product)) noSuch('product', product, 'product');
    const recurring = recurringOf(params);
    return {
      active: booleanParam(params, 'active') ?? true, billing_scheme: 'per_unit', currency, custom_unit_amount: null,
      lookup_key: stringParam(params, 'lookup_key') ?? null, metadata: applyMetadata({}, params), nickname: stringParam(params, 'nickname') ?? null,
      product, recurring, tax_behavior: enumParam(params, 'tax_behavior', TAX_BEHAVIORS) ?? 'unspecified', tiers_mode: null,
      transform_quantity: null, type: recurring ? 'recurring' : 'one_time', unit_amount: unitAmount, unit_amount_decimal: String(unitAmount),
    };
  },
  update(current, params) {
    refuseUnknown(params, PRICE_UPDATE_PARAMS);
    const taxBehavior = enumParam(params, 'tax_behavior', TAX_BEHAVIORS);
    if (taxBehavior !== undefined && current.tax_behavior !== 'unspecified' && taxBehavior !== current.tax_behavior) {
      invalidParam('tax_behavior', 'tax_behavior cannot be changed once it is set to inclusive or exclusive.');
    }
    return defined({
      active: booleanParam(params, 'active'), nickname: stringParam(params, 'nickname'), lookup_key: stringParam(params, 'lookup_key'),
      tax_behavior: taxBehavior, metadata: params.metadata === undefined ? undefined : applyMetadata(metadataOf(current), params),
    });
  },
};

const INVOICE_PARAMS = ['customer', 'description', 'metadata', 'auto_advance', 'collection_method', 'days_until_due', 'currency', 'footer'];
const COLLECTION_METHODS = ['charge_automatically', 'send_invoice'] as const;

function requireDraft(current: Fields, what: string): void {
  if (current.status !== 'draft') {
    throw new ReplyError(stripeError(400, { code: 'invoice_not_editable', message: `You can only ${what} draft invoices. This invoice is ${String(current.status)}.` }));
  }
}

export const invoices: ResourceSpec = {
  collection: 'invoices',
  object: 'invoice',
  idPrefix: 'in',
  deletion: 'remove',
  searchFields: ['customer', 'status', 'currency', 'created', 'total'],
  create(params, ctx) {
    refuseUnknown(params, INVOICE_PARAMS);
    const customer = requiredString(params, 'customer');
    const owner = ctx.records.latest('customers', customer);
    if (!owner || owner.archived) noSuch('customer', customer, 'customer');
    const collection = enumParam(params, 'collection_method', COLLECTION_METHODS) ?? 'charge_automatically';
    const daysUntilDue = integerParam(params, 'days_until_due') ?? null;
    if (collection === 'send_invoice' && daysUntilDue === null) invalidParam('days_until_due', 'Missing required param: days_until_due.', 'parameter_missing');
    return {
      amount_due: 0, amount_paid: 0, amount_remaining: 0, auto_advance: booleanParam(params, 'auto_advance') ?? false,
      collection_method: collection, currency: (stringParam(params, 'currency') ?? 'usd').toLowerCase(), customer,
      customer_email: owner.fields.email ?? null, days_until_due: daysUntilDue, description: stringParam(params, 'description') ?? null,
      footer: stringParam(params, 'footer') ?? null, metadata: applyMetadata({}, params), status: 'draft', subtotal: 0, total: 0,
    };
  },
  update(current, params) {
    requireDraft(current, 'update');
    refuseUnknown(params, INVOICE_PARAMS.filter((p) => p !== 'customer' && p !== 'currency'));
    return defined({
      auto_advance: booleanParam(params, 'auto_advance'), collection_method: enumParam(params, 'collection_method', COLLECTION_METHODS),
      days_until_due: integerParam(params, 'days_until_due'), description: stringParam(params, 'description'), footer: stringParam(params, 'footer'),
      metadata: params.metadata === undefined ? undefined : applyMetadata(metadataOf(current), params),
    });
  },
  checkDelete(record) {
    requireDraft(record.fields, 'delete');
  },
};

export const resources: ResourceSpec[] = [customers, products, prices, invoices];

/** A stored record as Stripe answers it. */
export function present(spec: ResourceSpec, record: StoredRecord): Fields {
  if (record.archived) return { id: record.id, object: spec.object, deleted: true };
  return { id: record.id, object: spec.object, created: unixSeconds(record.createdAt), livemode: false, ...record.fields };
}

import { ReplyError, type HandlerContext, type StoredRecord } from '../kit';
import { invalidParam, noSuch, stripeError } from './errors';
import type { Params } from './form';
import {
  applyMetadata, booleanParam, emailParam, enumParam, hashParam, integerParam, refuseUnknown, requiredString, stringParam,
} from './params';
import { isLegacy, type ApiVersion } from './versions';

/**
 * The Stripe resources the sandbox serves, as data: how each is created, updated, shown and
 * deleted (docs.stripe.com/api/customers, /products, /prices; invoices and invoice items in
 * invoices.ts). Objects are kept in the shapes of API version 2025-09-30.clover (versions.ts).
 */
export type Fields = Record<string, unknown>;

export interface ResourceSpec {
  /** The store's object name and the URL segment: 'customers'. */
  collection: string;
  /** Stripe's `object` value: 'customer'. */
  object: string;
  idPrefix: string;
  create(params: Params, ctx: HandlerContext, version: ApiVersion): Fields;
  update(current: Fields, params: Params, ctx: HandlerContext, version: ApiVersion): Fields;
  /** How DELETE works: customers stay as `deleted: true` stubs, products and draft invoices are gone, prices cannot be deleted. */
  deletion: 'stub' | 'remove' | 'none';
  /** Refuses a DELETE Stripe would refuse (a product with prices, an invoice that is not a draft). */
  checkDelete?(record: StoredRecord, ctx: HandlerContext): void;
  /** What else goes when a record is deleted (a draft invoice's items). */
  afterDelete?(record: StoredRecord, ctx: HandlerContext): void;
  /** Fields derived from other objects when the object is shown (an invoice's lines and totals). */
  derived?(object: Fields, ctx: HandlerContext): Fields;
  /** Fields the search query language knows for this resource (besides metadata['key']); none: no search endpoint. */
  searchFields: string[];
  /** The name of its creation time: `created`, or `date` (invoice items). */
  timestampField?: 'created' | 'date';
}

export const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export const metadataOf = (fields: Fields): Record<string, string> => (fields.metadata as Record<string, string> | undefined) ?? {};

/** A patch from the given params only: undefined (absent) params are left out. */
export function defined(patch: Fields): Fields {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

const CUSTOMER_PARAMS = ['email', 'name', 'description', 'phone', 'metadata', 'balance', 'invoice_prefix', 'preferred_locales', 'address', 'tax_exempt'];
const ADDRESS_FIELDS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'] as const;

/**
 * `address` replaces the stored address whole (sub-fields not sent are null: Stripe's nested hashes
 * other than metadata are not merged); '' unsets it. Stripe always answers the six keys.
 */
function addressParam(params: Params): Fields | null | undefined {
  const given = hashParam(params, 'address', ADDRESS_FIELDS);
  if (given === undefined || given === null) return given;
  const address: Fields = {};
  for (const key of ADDRESS_FIELDS) {
    const value = given[key];
    if (value !== undefined && typeof value !== 'string') invalidParam(`address[${key}]`, `Invalid string: ${JSON.stringify(value)}`);
    address[key] = value === undefined || value === '' ? null : value;
  }
  return address;
}

export const customers: ResourceSpec = {
  collection: 'customers',
  object: 'customer',
  idPrefix: 'cus',
  deletion: 'stub',
  searchFields: ['email', 'name', 'phone', 'created'],
  create(params) {
    refuseUnknown(params, CUSTOMER_PARAMS);
    return {
      address: addressParam(params) ?? null, balance: integerParam(params, 'balance') ?? 0, currency: null, default_source: null,
      delinquent: false, description: stringParam(params, 'description') ?? null, discount: null, email: emailParam(params) ?? null,
      invoice_prefix: stringParam(params, 'invoice_prefix') ?? 'SBX0001', metadata: applyMetadata({}, params),
      name: stringParam(params, 'name') ?? null, phone: stringParam(params, 'phone') ?? null,
      preferred_locales: Array.isArray(params.preferred_locales) ? params.preferred_locales : [], shipping: null, tax_exempt: stringParam(params, 'tax_exempt') ?? 'none', test_clock: null,
    };
  },
  update(current, params) {
    refuseUnknown(params, CUSTOMER_PARAMS);
    return defined({
      address: addressParam(params), balance: integerParam(params, 'balance'),
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
      images: Array.isArray(params.images) ? params.images : [], marketing_features: [], metadata: applyMetadata({}, params), name: requiredString(params, 'name'),
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
const PRICE_CREATE_PARAMS = ['currency', 'unit_amount', 'product', 'recurring', 'nickname', 'metadata', 'active', 'lookup_key', 'tax_behavior', 'transfer_lookup_key'];
/** Everything else on a price is immutable: Stripe answers "Received unknown parameter" for it on update. */
const PRICE_UPDATE_PARAMS = ['active', 'metadata', 'nickname', 'lookup_key', 'tax_behavior', 'transfer_lookup_key'];
const TAX_BEHAVIORS = ['exclusive', 'inclusive', 'unspecified'] as const;

/** `recurring`: interval, interval_count (default 1), usage_type (default licensed; metered needs a meter); older versions also take aggregate_usage and trial_period_days. */
function recurringOf(params: Params, version: ApiVersion): Fields | null {
  const allowed = ['interval', 'interval_count', 'meter', 'usage_type', ...(isLegacy(version) ? ['aggregate_usage', 'trial_period_days'] : [])];
  const recurring = hashParam(params, 'recurring', allowed);
  if (recurring === undefined || recurring === null) return null;
  const interval = enumParam(recurring, 'interval', ['day', 'week', 'month', 'year'] as const);
  if (interval === undefined) invalidParam('recurring[interval]', 'Missing required param: recurring[interval].', 'parameter_missing');
  const count = integerParam(recurring, 'interval_count') ?? 1;
  if (count < 1) invalidParam('recurring[interval_count]', `Invalid integer: ${count}`, 'parameter_invalid_integer');
  const usageType = enumParam(recurring, 'usage_type', ['licensed', 'metered'] as const) ?? 'licensed';
  const meter = stringParam(recurring, 'meter') ?? null;
  if (usageType === 'metered' && meter === null && !isLegacy(version)) invalidParam('recurring[meter]', 'Missing required param: recurring[meter].', 'parameter_missing');
  return { interval, interval_count: count, meter, usage_type: usageType };
}

export const prices: ResourceSpec = {
  collection: 'prices',
  object: 'price',
  idPrefix: 'price',
  deletion: 'none',
  searchFields: ['active', 'currency', 'lookup_key', 'product', 'type', 'created'],
  create(params, ctx, version) {
    refuseUnknown(params, PRICE_CREATE_PARAMS);
    const currency = requiredString(params, 'currency').toLowerCase();
    if (!CURRENCIES.includes(currency)) invalidParam('currency', `Invalid currency: ${currency}. Stripe currently supports these currencies: ${CURRENCIES.join(', ')}`);
    const unitAmount = integerParam(params, 'unit_amount');
    if (unitAmount === undefined) invalidParam('unit_amount', 'Missing required param: unit_amount.', 'parameter_missing');
    if (unitAmount < 0) invalidParam('unit_amount', 'This value must be greater than or equal to 0.', 'parameter_invalid_integer');
    const product = requiredString(params, 'product');
    if (!ctx.records.latest('products', product)) noSuch('product', product, 'product');
    const recurring = recurringOf(params, version);
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

export const resources: ResourceSpec[] = [customers, products, prices];

/** A stored record with its id, object and creation time (without derived fields: see answer.ts). */
export function present(spec: ResourceSpec, record: StoredRecord): Fields {
  if (record.archived) return { id: record.id, object: spec.object, deleted: true };
  return { id: record.id, object: spec.object, [spec.timestampField ?? 'created']: unixSeconds(record.createdAt), livemode: false, ...record.fields };
}

import type { SandboxRequest } from '../kit';
import { ReplyError } from '../kit';
import { stripeError } from './errors';

/**
 * API versions (docs.stripe.com/api/versioning, docs.stripe.com/upgrades): a request's
 * `Stripe-Version` header decides the shapes of what it sends and gets; without one, the account's
 * default version does. The sandbox stores objects in the shapes of CURRENT_VERSION (2025-09-30.clover,
 * the version stripe-mock 0.197.0 describes and the connector pins) and answers requests without a
 * header in the shapes of an older account's default, ACCOUNT_DEFAULT_VERSION (2023-10-16), for what
 * changed in between on the objects it serves (docs.stripe.com/changelog/basil):
 * - price.recurring: `aggregate_usage` and `trial_period_days` (removed), `meter` (added);
 * - invoice line items: `price`, `invoice_item`, `type`, `proration`... became `pricing` and `parent`;
 * - invoice items: `price`/`unit_amount` (removed) became `pricing`/`unit_amount_decimal`.
 * Events are rendered in the version they were created with (the account default), whatever the
 * request's version. Other versions are refused: the sandbox does not model them.
 */
export const CURRENT_VERSION = '2025-09-30.clover';
export const ACCOUNT_DEFAULT_VERSION = '2023-10-16';
export type ApiVersion = typeof CURRENT_VERSION | typeof ACCOUNT_DEFAULT_VERSION;

const VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

export function apiVersionOf(req: SandboxRequest): ApiVersion {
  const header = req.headers['stripe-version'];
  const given = Array.isArray(header) ? header[0] : header;
  if (given === undefined || given === '') return ACCOUNT_DEFAULT_VERSION;
  if (given === CURRENT_VERSION || given === ACCOUNT_DEFAULT_VERSION) return given;
  const message = VERSION_FORMAT.test(given)
    ? `The sandbox models API versions ${CURRENT_VERSION} and ${ACCOUNT_DEFAULT_VERSION} (the account's default) only, not ${given}.`
    : `Invalid Stripe API version: ${given}`;
  throw new ReplyError(stripeError(400, { message }));
}

export const isLegacy = (version: ApiVersion): boolean => version === ACCOUNT_DEFAULT_VERSION;

type Fields = Record<string, unknown>;
const isHash = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A price by id, as stored (legacy line items and invoice items embed the whole price). */
export type PriceLookup = (id: string) => Fields | null;

/** An object (as stored, in CURRENT_VERSION shapes) in the shapes of `version`. */
export function inVersion(version: ApiVersion, object: Fields, price: PriceLookup): Fields {
  if (!isLegacy(version)) return object;
  switch (object.object) {
    case 'price': return legacyPrice(object);
    case 'invoice': return legacyInvoice(object, price);
    case 'line_item': return legacyLine(object, price);
    case 'invoiceitem': return legacyInvoiceItem(object, price);
    default: return object;
  }
}

function legacyPrice(price: Fields): Fields {
  if (!isHash(price.recurring)) return price;
  const { meter: _meter, ...recurring } = price.recurring;
  return { ...price, recurring: { aggregate_usage: null, ...recurring, trial_period_days: null } };
}

function legacyInvoice(invoice: Fields, price: PriceLookup): Fields {
  const lines = invoice.lines;
  if (!isHash(lines) || !Array.isArray(lines.data)) return invoice;
  return { ...invoice, lines: { ...lines, data: lines.data.map((l) => legacyLine(l as Fields, price)) } };
}

function legacyPriceOf(pricing: unknown, price: PriceLookup): Fields | null {
  if (!isHash(pricing) || !isHash(pricing.price_details) || typeof pricing.price_details.price !== 'string') return null;
  const found = price(pricing.price_details.price);
  return found ? legacyPrice(found) : null;
}

function legacyLine(line: Fields, price: PriceLookup): Fields {
  const { parent, pricing, pretax_credit_amounts: _credits, taxes: _taxes, ...rest } = line;
  const item = isHash(parent) && isHash(parent.invoice_item_details) ? parent.invoice_item_details.invoice_item : null;
  return {
    ...rest, amount_excluding_tax: line.amount, invoice_item: item ?? null, price: legacyPriceOf(pricing, price), proration: false,
    proration_details: { credited_items: null }, subscription: null, tax_amounts: [], tax_rates: [], type: 'invoiceitem',
    unit_amount_excluding_tax: isHash(pricing) ? pricing.unit_amount_decimal ?? null : null,
  };
}

function legacyInvoiceItem(item: Fields, price: PriceLookup): Fields {
  const { pricing, parent: _parent, net_amount: _net, ...rest } = item;
  const decimal = isHash(pricing) ? pricing.unit_amount_decimal : null;
  return {
    ...rest, price: legacyPriceOf(pricing, price), subscription: null, subscription_item: null,
    unit_amount: typeof decimal === 'string' ? Number(decimal) : null, unit_amount_decimal: decimal ?? null,
  };
}

import { nestedField, readOnlyField, unmapped, type CatalogDifferences, type CatalogField, type CatalogObject } from '../kit';

/**
 * The fields of each resource as the sandbox presents it (resources.ts `present`, plus an invoice's
 * derived lines and totals), in Stripe's names (API version 2025-09-30.clover): what a client may
 * send (create or update parameters, `days_until_due` among them although an invoice never shows
 * it) and what Stripe sets. Kept beside resources.ts and invoices.ts; test/sandboxes/catalog-check.test.ts
 * creates one of each and checks every field it shows is listed here.
 */
const stripeSets = (...names: string[]): CatalogField[] => names.map(readOnlyField);
const common = [...stripeSets('id', 'object', 'created', 'livemode'), nestedField('metadata')];

export const stripeCatalog: CatalogObject[] = [
  {
    name: 'customers',
    fields: [...common, nestedField('address'), { name: 'balance' }, { name: 'description' }, { name: 'email' }, { name: 'invoice_prefix' },
      { name: 'name' }, { name: 'phone' }, { name: 'preferred_locales' }, { name: 'tax_exempt' },
      ...stripeSets('currency', 'default_source', 'delinquent', 'discount', 'shipping', 'test_clock')],
  },
  {
    name: 'products',
    fields: [...common, { name: 'active' }, { name: 'description' }, { name: 'images' }, { name: 'name' }, { name: 'shippable' },
      { name: 'statement_descriptor' }, { name: 'unit_label' }, { name: 'url' },
      ...stripeSets('default_price', 'marketing_features', 'package_dimensions', 'tax_code', 'updated')],
  },
  {
    name: 'prices',
    fields: [...common, { name: 'active' }, { name: 'currency' }, { name: 'lookup_key' }, { name: 'nickname' }, { name: 'product' },
      nestedField('recurring'), { name: 'tax_behavior' }, { name: 'unit_amount' },
      ...stripeSets('billing_scheme', 'custom_unit_amount', 'tiers_mode', 'transform_quantity', 'type', 'unit_amount_decimal')],
  },
  {
    name: 'invoices',
    fields: [...common, { name: 'auto_advance' }, { name: 'collection_method' }, { name: 'currency' }, { name: 'customer' },
      { name: 'days_until_due' }, { name: 'description' }, { name: 'due_date' }, { name: 'footer' },
      ...stripeSets('account_country', 'amount_due', 'amount_overpaid', 'amount_paid', 'amount_remaining', 'amount_shipping', 'attempt_count', 'attempted',
        'automatic_tax', 'customer_email', 'default_tax_rates', 'discounts', 'issuer', 'lines', 'number', 'payment_settings', 'period_end', 'period_start',
        'post_payment_credit_notes_amount', 'pre_payment_credit_notes_amount', 'starting_balance', 'status', 'status_transitions', 'subtotal',
        'subtotal_excluding_tax', 'total', 'total_excluding_tax')],
  },
  {
    name: 'invoiceitems',
    fields: [...stripeSets('id', 'object', 'date', 'livemode'), nestedField('metadata'), { name: 'amount' }, { name: 'currency' }, { name: 'customer' },
      { name: 'description' }, { name: 'discountable' }, { name: 'invoice' }, { name: 'period' }, nestedField('pricing'), { name: 'quantity' },
      ...stripeSets('discounts', 'net_amount', 'parent', 'proration', 'proration_details', 'tax_rates', 'test_clock')],
  },
  { name: 'events', fields: [...stripeSets('id', 'object', 'created', 'type', 'api_version', 'livemode', 'pending_webhooks', 'request'), nestedField('data', true)] },
  { name: 'idempotency_keys', fields: [readOnlyField('id')] },
];

export const stripeCatalogDifferences: CatalogDifferences = {
  sandboxOnlyObjects: {
    events: 'the Events API: what capture reads, not an object loads write',
    idempotency_keys: "Stripe's idempotency layer, kept by the sandbox to replay answers",
    invoiceitems: "a draft invoice's line items: read as the invoice's read-only lines, re-created by a restore",
  },
  sandboxOnlyFields: {
    customers: unmapped('invoice_prefix', 'preferred_locales', 'tax_exempt', 'default_source', 'discount', 'shipping', 'test_clock'),
    products: unmapped('images', 'shippable', 'default_price', 'marketing_features', 'package_dimensions', 'tax_code'),
    prices: unmapped('custom_unit_amount', 'tiers_mode', 'transform_quantity'),
    invoices: unmapped('amount_paid', 'amount_remaining', 'customer_email', 'subtotal', 'account_country', 'amount_overpaid', 'amount_shipping',
      'attempt_count', 'attempted', 'automatic_tax', 'default_tax_rates', 'discounts', 'issuer', 'number', 'payment_settings', 'period_end', 'period_start',
      'post_payment_credit_notes_amount', 'pre_payment_credit_notes_amount', 'starting_balance', 'status_transitions', 'subtotal_excluding_tax',
      'total_excluding_tax'),
  },
};

import type { ObjectSpec } from '../contract';

export const PRODUCTS = 'products';
export const CUSTOMERS = 'customers';
export const ID_FIELD = 'id';

/**
 * One mutation per record (productSet, customerCreate...), MUTATION_BATCH of them aliased in one
 * document: 10 points each, so a batch costs 100 of the 1000 a single query may cost.
 */
export const MUTATION_BATCH = 10;
/** Variants read per product: a product with more is refused rather than read in part. */
export const VARIANTS_PER_PRODUCT = 25;

const stamps = [
  { name: 'createdAt', type: 'datetime', readOnly: true },
  { name: 'updatedAt', type: 'datetime', readOnly: true },
] as const;

export const productSpec: ObjectSpec = {
  name: PRODUCTS,
  naturalKeys: [ID_FIELD, 'handle'],
  fields: [
    { name: ID_FIELD, type: 'string', readOnly: true },
    { name: 'handle', type: 'string', keyMatch: 'case-insensitive' },
    { name: 'title', type: 'string', required: true },
    { name: 'descriptionHtml', type: 'string' },
    { name: 'vendor', type: 'string' },
    { name: 'productType', type: 'string' },
    { name: 'status', type: 'string' },
    { name: 'tags', type: 'json' },
    { name: 'variants', type: 'json' },
    ...stamps,
  ],
  operations: ['create', 'update', 'upsert', 'delete'],
  batchSize: MUTATION_BATCH,
  cursor: 'timestamp',
  notes: 'Written with productSet. `variants` is the list [{ optionValues: [{ name, optionName }], price, sku }]: it replaces the '
    + "product's variants (a variant keeps its id when its option values match an existing one) and the product options are derived "
    + `from it. Products with more than ${VARIANTS_PER_PRODUCT} variants are refused. A deleted product cannot be restored: rollback `
    + 're-creates it with a new id (and new variant ids). Deletes are captured from deletionEvents.',
};

export const customerSpec: ObjectSpec = {
  name: CUSTOMERS,
  naturalKeys: [ID_FIELD, 'email'],
  fields: [
    { name: ID_FIELD, type: 'string', readOnly: true },
    { name: 'email', type: 'string', keyMatch: 'case-insensitive' },
    { name: 'firstName', type: 'string' },
    { name: 'lastName', type: 'string' },
    { name: 'note', type: 'string' },
    { name: 'tags', type: 'json' },
    ...stamps,
  ],
  operations: ['create', 'update', 'upsert', 'delete'],
  batchSize: MUTATION_BATCH,
  cursor: 'timestamp',
  notes: 'Email is read from defaultEmailAddress (Customer.email is deprecated in 2026-07). Deleted customers are not captured: '
    + 'Shopify keeps no deletion events for customers (only the customers/delete webhook reports them). Rollback re-creates a '
    + 'deleted customer with a new id; its orders and addresses do not come back.',
};

export const shopifyObjects: ObjectSpec[] = [productSpec, customerSpec];

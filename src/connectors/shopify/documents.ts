import { VARIANTS_PER_PRODUCT } from './objects';

/**
 * Every GraphQL document the connector sends (Admin API 2026-07), and what each costs by Shopify's
 * calculated query cost (objects 1, connections 2 + first × node, mutations 10). Batches alias one
 * root field per record (r0, r1, ...). test/unit/shopify-documents.test.ts validates every document
 * against the published introspection schema.
 */
export const PRODUCT_RECORD = `fragment ProductRecord on Product {
  id handle title descriptionHtml vendor productType status tags createdAt updatedAt
  variantsCount { count }
  variants(first: ${VARIANTS_PER_PRODUCT}, sortKey: POSITION) { nodes { id sku price selectedOptions { name value } } }
}`;
/** One product: the node, variantsCount, and the variants connection of selectedOptions lists. */
export const PRODUCT_COST = 1 + 1 + 2 + VARIANTS_PER_PRODUCT * 2;

export const CUSTOMER_RECORD = `fragment CustomerRecord on Customer {
  id firstName lastName note tags createdAt updatedAt
  defaultEmailAddress { emailAddress }
}`;
export const CUSTOMER_COST = 2;

export const MUTATION_COST = 10;

export const SHOP_PROBE = 'query ShopProbe { shop { name } }';

/** Products and customers by id, in one call. */
export const NODES = `query RecordsById($ids: [ID!]!) {
  nodes(ids: $ids) { __typename ...ProductRecord ...CustomerRecord }
}
${PRODUCT_RECORD}
${CUSTOMER_RECORD}`;
export const nodesCost = (ids: number) => ids * PRODUCT_COST;

/** One aliased root field per item: `r<i>: <field>(<args>) { <selection> }`. */
function aliased(operation: 'query' | 'mutation', name: string, count: number, variables: (i: number) => string,
  field: (i: number) => string, selection: string, fragments: string[] = []): string {
  const indexes = [...Array(count).keys()];
  return `${operation} ${name}(${indexes.map(variables).join(', ')}) {
${indexes.map((i) => `  r${i}: ${field(i)} { ${selection} }`).join('\n')}
}${fragments.map((f) => `\n${f}`).join('')}`;
}

export const productsByHandle = (count: number) => aliased('query', 'ProductsByHandle', count,
  (i) => `$handle${i}: String!`, (i) => `productByIdentifier(identifier: { handle: $handle${i} })`, '...ProductRecord', [PRODUCT_RECORD]);

export const customersByEmail = (count: number) => aliased('query', 'CustomersByEmail', count,
  (i) => `$email${i}: String!`, (i) => `customerByIdentifier(identifier: { emailAddress: $email${i} })`, '...CustomerRecord', [CUSTOMER_RECORD]);

export const productSetBatch = (count: number) => aliased('mutation', 'ProductSetBatch', count,
  (i) => `$input${i}: ProductSetInput!, $identifier${i}: ProductSetIdentifiers`,
  (i) => `productSet(input: $input${i}, identifier: $identifier${i}, synchronous: true)`,
  'product { id } userErrors { field message code }');

export const productDeleteBatch = (count: number) => aliased('mutation', 'ProductDeleteBatch', count,
  (i) => `$id${i}: ID!`, (i) => `productDelete(input: { id: $id${i} })`, 'deletedProductId userErrors { field message }');

export const customerCreateBatch = (count: number) => aliased('mutation', 'CustomerCreateBatch', count,
  (i) => `$input${i}: CustomerInput!`, (i) => `customerCreate(input: $input${i})`, 'customer { id } userErrors { field message }');

export const customerUpdateBatch = (count: number) => aliased('mutation', 'CustomerUpdateBatch', count,
  (i) => `$input${i}: CustomerInput!`, (i) => `customerUpdate(input: $input${i})`, 'customer { id } userErrors { field message }');

export const customerDeleteBatch = (count: number) => aliased('mutation', 'CustomerDeleteBatch', count,
  (i) => `$id${i}: ID!`, (i) => `customerDelete(input: { id: $id${i} })`, 'deletedCustomerId userErrors { field message }');

/** Capture pages: changed records in (updatedAt, id) order. */
export const PRODUCT_CHANGES = `query ProductChanges($first: Int!, $after: String, $query: String!) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ...ProductRecord }
  }
}
${PRODUCT_RECORD}`;

export const CUSTOMER_CHANGES = `query CustomerChanges($first: Int!, $after: String, $query: String!) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ...CustomerRecord }
  }
}
${CUSTOMER_RECORD}`;

/** Deleted products (deletionEvents: deprecated in 2026-07 for `events`, still served). */
export const PRODUCT_DELETIONS = `query ProductDeletions($first: Int!, $after: String, $query: String!) {
  deletionEvents(first: $first, after: $after, query: $query, subjectTypes: [PRODUCT], sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { subjectId occurredAt }
  }
}`;

export const pageCost = (first: number, nodeCost: number) => 2 + first * nodeCost;

/** Every document, for the validation test: batches at sizes 1 and the full batch. */
export function allDocuments(batch: number): string[] {
  const builders = [productsByHandle, customersByEmail, productSetBatch, productDeleteBatch, customerCreateBatch, customerUpdateBatch, customerDeleteBatch];
  return [SHOP_PROBE, NODES, PRODUCT_CHANGES, CUSTOMER_CHANGES, PRODUCT_DELETIONS, ...builders.flatMap((b) => [b(1), b(batch)])];
}

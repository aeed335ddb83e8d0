import { getOperationAST, Kind, parse, validate, type FragmentDefinitionNode } from 'graphql';
import { introspectionSchema } from '../../sandboxes/kit';
import { SCHEMA_FILE } from '../../sandboxes/shopify';
import {
  allDocuments, CUSTOMER_CHANGES, CUSTOMER_COST, customersByEmail, MUTATION_COST, NODES, nodesCost, pageCost, PRODUCT_CHANGES, PRODUCT_COST,
  PRODUCT_DELETIONS, productsByHandle, productSetBatch,
} from '../../src/connectors/shopify/documents';
import { requestedQueryCost } from '../../sandboxes/shopify/cost';
import { MAX_QUERY_COST } from '../../sandboxes/shopify/endpoint';
import { MUTATION_BATCH } from '../../src/connectors/shopify/objects';
import { CAPTURE_PAGE } from '../../src/connectors/shopify/source';

// Every GraphQL document the Shopify connector sends, validated against the published Admin API
// 2026-07 introspection schema (../shared/specs/shopify, read in place) with graphql-js.
describe('Shopify connector documents against the 2026-07 introspection schema', () => {
  const schema = introspectionSchema('shopify', SCHEMA_FILE);

  it.each(allDocuments(MUTATION_BATCH).map((d) => [`${/^(?:query|mutation) (\w+)/.exec(d)?.[1]} (${(d.match(/\br\d+:/g) ?? []).length} aliases)`, d]))('%s is valid', (_name, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });

  it('the check can fail: a field the schema does not have, and a deprecated-away argument shape', () => {
    expect(validate(schema, parse('query { products(first: 1) { nodes { id notAField } } }'))).toHaveLength(1);
    expect(validate(schema, parse('mutation { productDelete(id: "gid://shopify/Product/1") { deletedProductId } }')).length).toBeGreaterThan(0);
  });
});

describe("the Shopify connector's cost estimates against the sandbox's calculated query cost", () => {
  const schema = introspectionSchema('shopify', SCHEMA_FILE);
  const cost = (document: string, variables: Record<string, unknown> = {}) => {
    const parsed = parse(document);
    const fragments = new Map(parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
    return requestedQueryCost(schema, getOperationAST(parsed)!, fragments, variables);
  };
  const ids = Array.from({ length: MUTATION_BATCH }, (_, i) => `gid://shopify/Product/${i}`);

  it('what the pacer waits for is what Shopify will charge', () => {
    expect(cost(NODES, { ids })).toBe(nodesCost(MUTATION_BATCH));
    expect(cost(productsByHandle(MUTATION_BATCH))).toBe(MUTATION_BATCH * PRODUCT_COST);
    expect(cost(customersByEmail(MUTATION_BATCH))).toBe(MUTATION_BATCH * CUSTOMER_COST);
    expect(cost(productSetBatch(MUTATION_BATCH))).toBe(MUTATION_BATCH * MUTATION_COST);
    expect(cost(PRODUCT_CHANGES, { first: CAPTURE_PAGE.products })).toBe(pageCost(CAPTURE_PAGE.products, PRODUCT_COST));
    expect(cost(CUSTOMER_CHANGES, { first: CAPTURE_PAGE.customers })).toBe(pageCost(CAPTURE_PAGE.customers, CUSTOMER_COST));
    expect(cost(PRODUCT_DELETIONS, { first: CAPTURE_PAGE.deletions })).toBe(pageCost(CAPTURE_PAGE.deletions, 1));
    expect(cost(NODES, { ids })).toBeLessThanOrEqual(MAX_QUERY_COST);
    expect(cost(PRODUCT_CHANGES, { first: CAPTURE_PAGE.products })).toBeLessThanOrEqual(MAX_QUERY_COST);
  });
});

import { parse, validate } from 'graphql';
import { introspectionSchema } from '../../sandboxes/kit';
import { SCHEMA_FILE } from '../../sandboxes/shopify';
import { allDocuments } from '../../src/connectors/shopify/documents';
import { MUTATION_BATCH } from '../../src/connectors/shopify/objects';

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

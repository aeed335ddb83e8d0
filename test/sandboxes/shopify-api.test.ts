import type { RunningSandbox } from '../../sandboxes/kit';
import { GRAPHQL_PATH, startShopifySandbox } from '../../sandboxes/shopify';

// The Shopify sandbox over real HTTP: the Admin GraphQL endpoint's handshake, schema validation,
// calculated query cost and throttling, pagination, search syntax, productSet semantics and
// userErrors, deletion events (README.md names the pages).
const PRODUCT_FIELDS = 'id handle title tags variants(first: 10) { nodes { id sku price selectedOptions { name value } } }';
const hat = (handle: string, sizes = ['S', 'M']) => ({
  title: `Hat ${handle}`, handle, tags: ['b', 'a'],
  productOptions: [{ name: 'Size', values: sizes.map((name) => ({ name })) }],
  variants: sizes.map((name, i) => ({ sku: `${handle}-${name}`, price: String(10 + i), optionValues: [{ optionName: 'Size', name }] })),
});

describe('shopify sandbox', () => {
  let sb: RunningSandbox;
  let token: string;
  beforeEach(async () => {
    sb = await startShopifySandbox({ bucket: { maximumAvailable: 400, restoreRate: 1 } });
    token = String(sb.credentials().credentials.apiKey);
  });
  afterEach(async () => { await sb.stop(); });

  async function post(body: unknown, headers: Record<string, string> = { 'x-shopify-access-token': token }) {
    const res = await fetch(`${sb.url}${GRAPHQL_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() as any };
  }
  const gql = (query: string, variables: Record<string, unknown> = {}) => post({ query, variables });
  const productSet = async (input: unknown, identifier?: unknown) => (await gql(
    `mutation($input: ProductSetInput!, $identifier: ProductSetIdentifiers) { productSet(input: $input, identifier: $identifier, synchronous: true) { product { ${PRODUCT_FIELDS} } userErrors { field message code } } }`,
    { input, identifier: identifier ?? null })).body.data.productSet;

  it('answers 401 with Shopify\'s body without the access token or with a wrong one', async () => {
    for (const headers of [{}, { 'x-shopify-access-token': 'shpat_wrong' }] as Array<Record<string, string>>) {
      expect(await post({ query: '{ shop { name } }' }, headers)).toEqual({ status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } });
    }
    expect(await post({})).toEqual({ status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } });
  });

  it('refuses a document the 2026-07 schema does not validate, before running or charging it', async () => {
    const before = (await gql('{ shop { name } }')).body.extensions.cost.throttleStatus.currentlyAvailable;
    const refused = await gql('mutation { productSet(input: { title: "x" }) { product { id nope } } }');
    expect(refused).toMatchObject({ status: 200, body: { errors: [{ message: 'Cannot query field "nope" on type "Product".', extensions: { code: 'undefinedField' } }] } });
    expect(refused.body.data).toBeUndefined();
    expect((await gql('{ products(first: 1) { nodes { id } } }')).body.data.products.nodes).toEqual([]);
    expect((await gql('{ shop { name } }')).body.extensions.cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(before - 4);
    expect((await gql('query { products(first: 1 { id }')).body.errors[0].extensions.code).toBe('PARSE_ERROR');
    expect((await gql('{ orders(first: 1) { nodes { id } } }')).body.errors[0].extensions.code).toBe('NOT_SERVED');
  });

  it('prices each query (connections 2 + first × node, mutations 10 each), refunds what it did not return, and throttles inside HTTP 200 when the bucket cannot hold it', async () => {
    const seeded = Array.from({ length: 100 }, (_, i) => ({ title: `P${i}`, handle: `p-${i}` }));
    await fetch(`${sb.url}/__sandbox/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ objects: { products: seeded } }) });
    const page = await gql('{ products(first: 10) { nodes { id variants(first: 5) { nodes { id } } } } }');
    expect(page.body.extensions.cost).toEqual({
      // Each product has its one default variant: 5 variants asked for, 1 returned.
      requestedQueryCost: 2 + 10 * (1 + 2 + 5 * 1), actualQueryCost: 2 + 10 * (1 + 2 + 1),
      throttleStatus: { maximumAvailable: 400, currentlyAvailable: expect.any(Number), restoreRate: 1 },
    });
    const twoMutations = await gql('mutation { a: productDelete(input: { id: "gid://shopify/Product/1" }) { deletedProductId } b: productDelete(input: { id: "gid://shopify/Product/2" }) { deletedProductId } }');
    expect(twoMutations.body.extensions.cost.requestedQueryCost).toBe(20);
    const tooBig = await gql('{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }');
    expect(tooBig.body.errors[0].extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', maxCost: 1000 });
    const heavy = '{ products(first: 100) { nodes { id variantsCount { count } } } }';
    expect((await gql(heavy)).body.errors).toBeUndefined();
    const throttled = await gql(heavy);
    expect(throttled).toMatchObject({ status: 200, body: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: { cost: { requestedQueryCost: 202, actualQueryCost: null } } } });
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(202);
  });

  it('productSet creates with variants and options, replaces the variant list on update, keeps a listed variant\'s id', async () => {
    const created = await productSet(hat('hat-1'));
    expect(created.userErrors).toEqual([]);
    expect(created.product).toMatchObject({ handle: 'hat-1', tags: ['a', 'b'], variants: { nodes: [
      { sku: 'hat-1-S', price: '10.00', selectedOptions: [{ name: 'Size', value: 'S' }] }, { sku: 'hat-1-M', price: '11.00' }] } });
    const [small] = created.product.variants.nodes;
    const updated = await productSet({ title: 'Renamed', productOptions: [{ name: 'Size', values: [{ name: 'S' }, { name: 'L' }] }],
      variants: [{ id: small.id, sku: 'hat-1-S', price: '9.5', optionValues: [{ optionName: 'Size', name: 'S' }] }, { sku: 'hat-1-L', price: '12', optionValues: [{ optionName: 'Size', name: 'L' }] }] },
    { id: created.product.id });
    expect(updated.product.title).toBe('Renamed');
    expect(updated.product.variants.nodes.map((v: { id: string; sku: string; price: string }) => [v.id === small.id, v.sku, v.price])).toEqual([[true, 'hat-1-S', '9.50'], [false, 'hat-1-L', '12.00']]);
    const withoutTitle = await productSet({ handle: 'plain' });
    expect(withoutTitle.userErrors).toEqual([{ field: ['input', 'title'], message: "Title can't be blank", code: 'INVALID_PRODUCT' }]);
  });

  it('answers userErrors with Shopify\'s field paths and codes', async () => {
    await productSet(hat('hat-1'));
    expect((await productSet({ ...hat('hat-2'), handle: 'hat-1' })).userErrors[0]).toMatchObject({ field: ['input', 'handle'], code: 'HANDLE_NOT_UNIQUE' });
    const { productOptions: _o, ...noOptions } = hat('hat-3');
    expect((await productSet(noOptions)).userErrors[0]).toMatchObject({ field: ['input', 'productOptions'], code: 'PRODUCT_OPTIONS_INPUT_MISSING' });
    const negative = hat('hat-4');
    negative.variants[1].price = '-3';
    expect((await productSet(negative)).userErrors).toEqual([{ field: ['input', 'variants', '1', 'price'], message: 'Price must be greater than or equal to 0', code: 'INVALID_VARIANT' }]);
    const customer = (email: string) => gql('mutation($input: CustomerInput!) { customerCreate(input: $input) { customer { id } userErrors { field message } } }', { input: { email } });
    expect((await customer('ada@example.com')).body.data.customerCreate.userErrors).toEqual([]);
    expect((await customer('ADA@example.com')).body.data.customerCreate.userErrors).toEqual([{ field: ['email'], message: 'Email has already been taken' }]);
    expect((await customer('ada')).body.data.customerCreate.userErrors).toEqual([{ field: ['email'], message: 'Email is invalid' }]);
  });

  it('pages with opaque cursors, filters with the search syntax, and sorts by UPDATED_AT', async () => {
    for (const h of ['a-1', 'b-2', 'c-3']) await productSet({ title: h, handle: h });
    const first = (await gql('{ products(first: 2, sortKey: UPDATED_AT) { pageInfo { hasNextPage endCursor } nodes { handle } } }')).body.data.products;
    expect(first.nodes.map((n: { handle: string }) => n.handle)).toEqual(['a-1', 'b-2']);
    const next = (await gql('query($after: String) { products(first: 2, after: $after, sortKey: UPDATED_AT) { pageInfo { hasNextPage } nodes { handle } } }', { after: first.pageInfo.endCursor })).body.data.products;
    expect(next).toEqual({ pageInfo: { hasNextPage: false }, nodes: [{ handle: 'c-3' }] });
    const search = async (query: string) => (await gql('query($q: String) { products(first: 10, query: $q) { nodes { handle } } }', { q: query })).body.data.products.nodes.map((n: { handle: string }) => n.handle);
    expect(await search('handle:a-1,c-3')).toEqual(['a-1', 'c-3']);
    expect(await search('handle:a-1 OR handle:b-2')).toEqual(['a-1', 'b-2']);
    expect(await search('-handle:b-2')).toEqual(['a-1', 'c-3']);
    expect(await search("updated_at:>='2000-01-01T00:00:00Z' AND updated_at:<='2000-01-02'")).toEqual([]);
    expect((await gql('{ products { nodes { id } } }')).body.errors[0].message).toMatch(/first or last/);
  });

  it('productDelete leaves a deletion event; deleting it again answers a userError', async () => {
    const { product } = await productSet({ title: 'Gone', handle: 'gone' });
    const del = await gql('mutation($id: ID!) { productDelete(input: { id: $id }) { deletedProductId userErrors { field message } } }', { id: product.id });
    expect(del.body.data.productDelete).toEqual({ deletedProductId: product.id, userErrors: [] });
    const again = await gql('mutation($id: ID!) { productDelete(input: { id: $id }) { deletedProductId userErrors { field message } } }', { id: product.id });
    expect(again.body.data.productDelete).toEqual({ deletedProductId: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] });
    const events = await gql('{ deletionEvents(first: 5, subjectTypes: [PRODUCT]) { nodes { subjectId subjectType occurredAt } } }');
    expect(events.body.data.deletionEvents.nodes).toEqual([{ subjectId: product.id, subjectType: 'PRODUCT', occurredAt: expect.any(String) }]);
  });
});

import type { ConnectorContext, DestinationContract, Rec } from '../../src/connectors/contract';
import { Pool } from 'pg';
import { isConnectorError } from '../../src/platform/errors';
import { findConnector } from '../../src/connectors/registry';
import { shopifyGraphql } from '../../src/connectors/shopify/api';
import { NODES } from '../../src/connectors/shopify/documents';
import { shopifySource } from '../../src/connectors/shopify/source';
import { ShopifyApi } from '../../src/connectors/shopify/api';
import { shopifyCostLimit } from '../../src/connectors/shopify/cost-limit';
import { RequestBudgetStore } from '../../src/platform/rate-budget';
import { startShopifySandbox } from '../../sandboxes/shopify';
import type { RunningSandbox } from '../../sandboxes/kit';
import type { BucketSize } from '../../sandboxes/shopify/bucket';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { testStack } from '../helpers/stack';

// The Shopify connector against its sandbox: Admin GraphQL 2026-07 quirks, one test each —
// drawing the calculated query cost from the connection's budget, userErrors named by field, invalid documents refused, deleted
// products re-created with a new id — and capture with deletion events.
const product = (i: number, extra: Rec = {}): Rec => ({
  handle: `hat-${i}`, title: `Hat ${i}`, vendor: 'Forgeworks', status: 'ACTIVE', tags: ['hats'],
  variants: [
    { optionValues: [{ name: 'S', optionName: 'Size' }], price: '10.00', sku: `HAT-${i}-S` },
    { optionValues: [{ name: 'M', optionName: 'Size' }], price: '11.00', sku: `HAT-${i}-M` },
  ],
  ...extra,
});

describe('Shopify connector against the sandbox', () => {
  const def = findConnector('shopify')!;
  let sb: RunningSandbox;
  let ctx: ConnectorContext;
  let dest: DestinationContract;
  let pool: Pool;
  beforeAll(() => { pool = new Pool({ connectionString: testStack().databaseUrl, max: 2 }); });
  afterAll(async () => { await pool.end(); });

  async function start(bucket?: BucketSize) {
    sb = await startShopifySandbox({ recordExchanges: true, ...(bucket ? { bucket } : {}) });
    // The connection's budget knows the store's bucket, as a plan's restore rate and size.
    const planned = bucket ? { ...def, costLimit: { ...shopifyCostLimit, maximumAvailable: bucket.maximumAvailable, restorePerSecond: bucket.restoreRate } } : def;
    ctx = await connectToSandbox(planned, sb.url, new RequestBudgetStore(pool));
    dest = planned.destination(ctx);
  }
  const throttledAnswers = () => sb.exchanges().filter((x) => JSON.stringify(x.responseBody).includes('"THROTTLED"'));
  afterEach(async () => { await sb.stop(); });

  it('draws each query\'s cost from the connection\'s budget: a bucket too small for three batches is never throttled', async () => {
    await start({ maximumAvailable: 150, restoreRate: 100 });
    const results = await dest.write('products', 'create', 'handle', Array.from({ length: 30 }, (_, i) => product(i)));
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(30);
    expect(throttledAnswers()).toEqual([]);
    // Without the budget the same bucket answers THROTTLED inside HTTP 200: a transient error with the wait the bucket implies.
    const unpaced = shopifyGraphql((await connectToSandbox(def, sb.url)).http);
    const ids = (await dest.read('products', 'handle', ['hat-0'])).get('hat-0')!.id as string;
    const refused = await Promise.all(Array.from({ length: 4 }, () => unpaced.run(NODES, { ids: [ids, ids] }, 0).then(() => null, (e: unknown) => e)));
    const throttled = refused.find((e) => isConnectorError(e) && e.code === 'THROTTLED');
    expect(throttled).toMatchObject({ kind: 'transient', status: 200 });
    expect((throttled as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(0);
    expect(throttledAnswers().length).toBeGreaterThan(0);
  });

  it('names the record field of each userErrors path: title, handle, variants, email', async () => {
    await start();
    await dest.write('products', 'create', 'handle', [product(1)]);
    const results = await dest.write('products', 'create', 'handle', [
      product(2), product(3, { title: '' }), product(4, { handle: 'hat-1' }),
      product(5, { variants: [{ optionValues: [{ name: 'S', optionName: 'Size' }], price: '-1', sku: 'NEG' }] }),
    ]);
    expect(results.map((r) => [r.outcome, r.errors?.map((e) => e.field)])).toEqual([
      ['created', undefined], ['failed', ['title']], ['failed', ['handle']], ['failed', ['variants']],
    ]);
    expect(results[3].errors?.[0].message).toMatch(/variants\.0\.price.*INVALID_VARIANT/);
    const customers = await dest.write('customers', 'create', 'email', [{ email: 'ok@example.com', firstName: 'Ok' }, { email: 'broken', firstName: 'No' }]);
    expect(customers.map((r) => [r.outcome, r.errors?.map((e) => e.field)])).toEqual([['created', undefined], ['failed', ['email']]]);
  });

  it('an invalid document is refused by the schema before anything runs, and is a permanent error', async () => {
    await start();
    const api = shopifyGraphql(ctx.http);
    const err = await api.run('mutation { productSet(input: { title: "x" }) { product { id notAField } } }', {}, 10).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'permanent', code: 'undefinedField' });
    expect(sb.store.all('products')).toEqual([]);
    const answer = sb.exchanges().at(-1)!.responseBody as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
    expect(answer.data).toBeUndefined();
    expect(answer.errors[0].extensions.code).toBe('undefinedField');
  });

  it('re-creates a deleted product from its before-image with a new id, and reads it back', async () => {
    await start();
    const [created] = await dest.write('products', 'create', 'handle', [product(7)]);
    const before = (await dest.read('products', 'handle', ['hat-7'])).get('hat-7')!;
    expect(await dest.delete('products', 'handle', ['hat-7'])).toMatchObject([{ outcome: 'deleted', id: created.id }]);
    expect((await dest.read('products', 'id', [created.id!])).get(created.id!)).toBeNull();
    const restored = await dest.restore('products', 'handle', before);
    expect(restored.recreated).toBe(true);
    expect(restored.id).not.toBe(created.id);
    // A retried restore (the first answer lost) finds the product it made by its handle.
    expect(await dest.restore('products', 'handle', before)).toEqual({ id: restored.id, recreated: true });
    expect(sb.store.all('products')).toHaveLength(1);
    const back = (await dest.read('products', 'id', [restored.id])).get(restored.id) as Rec;
    const { id: _a, createdAt: _b, updatedAt: _c, ...same } = before;
    expect(back).toMatchObject(same);
  });

  it('updates keep variant ids where option values match; upsert by handle splits creates and updates', async () => {
    await start();
    await dest.write('products', 'create', 'handle', [product(1)]);
    const variantIds = () => sb.store.all('products').find((p) => p.fields.handle === 'hat-1')!.fields.variants as Array<{ id: string }>;
    const idsOf = () => (variantIds()).map((v) => v.id);
    const ids = idsOf();
    const results = await dest.write('products', 'upsert', 'handle', [{ handle: 'hat-1', title: 'Renamed', variants: product(1).variants }, product(2)]);
    expect(results.map((r) => r.outcome)).toEqual(['updated', 'created']);
    expect(idsOf()).toEqual(ids);
  });

  it('captures product changes by updated_at and deletes from deletionEvents', async () => {
    await start();
    // The sandbox clock runs a minute behind: every change is older than the settle margin when polled.
    await fetch(`${sb.url}/__sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at: new Date(Date.now() - 60_000).toISOString(), frozen: false }) });
    const source = shopifySource(new ShopifyApi(shopifyGraphql(ctx.http)), { maxChangesPerPoll: 3 });
    await dest.write('products', 'create', 'handle', [product(1), product(2), product(3), product(4)]);
    const first = await source.capture('products', null);
    expect(first.changes).toHaveLength(3);
    expect(first.hasMore).toBe(true);
    const second = await source.capture('products', first.cursor);
    expect(second.changes.map((c) => c.data?.handle)).toEqual(['hat-4']);
    await dest.delete('products', 'handle', ['hat-2']);
    const third = await source.capture('products', second.cursor);
    expect(third.changes.map((c) => [c.op, c.recordId])).toEqual([['delete', first.changes[1].recordId]]);
    expect((await source.capture('products', third.cursor)).changes).toEqual([]);
  });
});

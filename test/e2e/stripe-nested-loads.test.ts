import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// Stripe loads with nested values, end to end through the REST API on real Temporal and Postgres
// (issue 22): metadata written key by key and an address written whole verify, and a rollback puts
// back exactly what was there; a write Stripe could not roll back is refused at plan time, by field.
// The rest of Stripe's load behaviour is in the conformance suite (test/conformance/quirks/stripe.ts).

function customers(from: number, to: number, tag: string) {
  return Array.from({ length: to - from }, (_, i) => ({
    'metadata.external_id': `ext-${from + i}`, email: `person-${from + i}@example.com`, name: `${tag}-${from + i}`,
  }));
}

jest.setTimeout(120_000);

describe('Stripe loads with nested values', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('stripe'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => {
    await h.admin('POST', 'reset');
  });

  async function startLoad(body: Record<string, unknown>) {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'customers', naturalKey: 'metadata.external_id', ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }
  async function requestsTo(method: string, path: string) {
    return ((await h.admin('GET', 'requests')).body.requests as any[]).filter((r) => r.method === method && r.path === path);
  }

  it('loads nested metadata and addresses, verifies them key by key, and rolls back to the exact before-state', async () => {
    const seeds = customers(0, 20, 'nested').map(({ 'metadata.external_id': ext, ...rest }, i) => ({
      ...rest, metadata: { external_id: ext, tier: 'silver', keep: `k${i}` },
      address: { line1: `${i} Old St`, line2: null, city: 'Lyon', country: 'FR', postal_code: '69001', state: null },
    }));
    expect((await h.admin('POST', 'seed', { objects: { customers: seeds } })).status).toBeLessThan(300);
    const liveState = async () => ((await h.admin('GET', 'state')).body.objects.customers as any[]).filter((c) => !c.deleted);
    const before = await liveState();
    const records = customers(0, 25, 'nested').map((c) => ({
      'metadata.external_id': c['metadata.external_id'], metadata: { tier: 'gold', added: 'by-load' }, address: { line1: '1 New St', city: 'Paris' },
    }));
    const id = await startLoad({ operation: 'upsert', records });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 25, created: 5, updated: 20, failed: 0, verified: 25 });
    const during = await liveState();
    expect(during.find((c) => c.metadata.external_id === 'ext-3')).toMatchObject({
      metadata: { external_id: 'ext-3', tier: 'gold', keep: 'k3', added: 'by-load' },
      address: { line1: '1 New St', line2: null, city: 'Paris', country: null, postal_code: null, state: null },
    });

    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await h.allRecords(id, 'rollback_failed')).toEqual([]);
    expect(await liveState()).toEqual(before);
  });

  it('refuses at plan time, naming the field, writes Stripe could not roll back', async () => {
    const [product] = (await h.admin('POST', 'seed', { objects: { products: [{ name: 'P' }] } })).body.objects.products.map((p: any) => p.id);
    await h.admin('POST', 'seed', { objects: { prices: [{ product, currency: 'usd', unit_amount: 100, active: true, tax_behavior: 'exclusive', metadata: { external_id: 'pr-1' } }] } });
    const res = await h.api('POST', '/v1/loads', {
      connectionId: h.connectionId, object: 'prices', operation: 'update', naturalKey: 'metadata.external_id',
      records: [{ 'metadata.external_id': 'pr-1', tax_behavior: 'inclusive', nickname: 'x' }], options: { onError: 'continue' },
    });
    expect(res.status).toBe(202);
    const load = await h.waitForLoad(res.body.id, ['completed', 'failed', 'rolled_back']);
    expect(load.counts).toMatchObject({ failed: 1, updated: 0 });
    const [failed] = await h.allRecords(res.body.id, 'failed');
    expect(failed.errors).toEqual([{ field: 'tax_behavior', message: expect.stringMatching(/cannot change .* rollback/) }]);
    const [price] = (await h.admin('GET', 'state')).body.objects.prices as any[];
    expect(price.tax_behavior).toBe('exclusive');
    expect(price.nickname ?? null).toBeNull();
    expect(await requestsTo('POST', `/v1/prices/${price.id}`)).toEqual([]);
  });
});

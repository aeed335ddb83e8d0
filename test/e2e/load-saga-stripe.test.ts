import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitUntil } from '../helpers/wait';

// Loads end to end through the REST API, on real Temporal and Postgres, against the Stripe sandbox.
// "The sandbox's state" is the live customers by metadata.external_id with their writable fields
// (email, name, description, phone, metadata): ids and `created` are left out, because a customer
// a rollback re-creates gets a new id and a new creation time (Stripe cannot undelete).
const CREATE_PATH = '/v1/customers';

function customers(from: number, to: number, tag: string) {
  return Array.from({ length: to - from }, (_, i) => ({
    'metadata.external_id': `ext-${from + i}`, email: `person-${from + i}@example.com`, name: `${tag}-${from + i}`,
  }));
}

jest.setTimeout(120_000);

describe('loads into Stripe: snapshot, write, verify, rollback', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('stripe'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => {
    await h.admin('POST', 'reset');
  });

  async function seedCustomers(n: number, extra: Record<string, unknown> = {}) {
    const seeds = customers(0, n, 'before').map(({ 'metadata.external_id': ext, ...rest }) => ({ ...rest, description: 'seeded', metadata: { external_id: ext, tier: 'silver' }, ...extra }));
    const res = await h.admin('POST', 'seed', { objects: { customers: seeds } });
    expect(res.status).toBeLessThan(300);
  }
  async function liveByExternalId(): Promise<Record<string, Record<string, unknown>>> {
    const state = (await h.admin('GET', 'state')).body.objects.customers as any[];
    const out: Record<string, Record<string, unknown>> = {};
    for (const c of state) {
      if (c.deleted) continue;
      const key = String(c.metadata?.external_id ?? c.id);
      expect(out[key]).toBeUndefined(); // never two live customers for one external id
      out[key] = { email: c.email ?? null, name: c.name ?? null, description: c.description ?? null, phone: c.phone ?? null, metadata: c.metadata ?? {} };
    }
    return out;
  }
  async function startLoad(body: Record<string, unknown>) {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'customers', naturalKey: 'metadata.external_id', ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }
  async function requestsTo(method: string, path: string) {
    return ((await h.admin('GET', 'requests')).body.requests as any[]).filter((r) => r.method === method && r.path === path);
  }
  async function attemptsOf(id: string): Promise<number[]> {
    const history = await h.temporal.workflow.getHandle(`load-${h.tenantId}-${id}`).fetchHistory();
    return (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
  }

  it('upserts 200 customers, 50 of them existing, and verifies every one', async () => {
    await seedCustomers(50);
    const id = await startLoad({ operation: 'upsert', records: customers(0, 200, 'after') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 200, created: 150, updated: 50, failed: 0, verified: 200 });
    const live = await liveByExternalId();
    expect(Object.keys(live)).toHaveLength(200);
    expect(Object.values(live).every((c) => String(c.name).startsWith('after-'))).toBe(true);
    expect(live['ext-0'].metadata).toEqual({ external_id: 'ext-0', tier: 'silver' });
    // One POST per record, each with an idempotency key the sandbox kept.
    const keys = ((await h.admin('GET', 'state')).body.objects.idempotency_keys as any[]).map((k) => String(k.id));
    expect(keys).toHaveLength(200);
    expect(keys.every((k) => k.startsWith(`forge-${id}-`))).toBe(true);
  });

  it('reports exactly the 3 invalid records, with their field names, and loads the rest', async () => {
    const records: Array<Record<string, unknown>> = customers(0, 60, 'v');
    records[4].email = 'broken';
    records[30]['metadata.note'] = 'x'.repeat(600);
    records[59].balance = 'NaN';
    const id = await startLoad({ operation: 'upsert', records, options: { onError: 'continue' } });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 60, created: 57, failed: 3 });
    const failed = await h.allRecords(id, 'failed');
    expect(failed.map((r) => r.index)).toEqual([4, 30, 59]);
    expect(failed.map((r) => r.errors.map((e: any) => e.field))).toEqual([['email'], ['metadata.note'], ['balance']]);
    expect(Object.keys(await liveByExternalId())).toHaveLength(57);
  });

  it('stops at a 401 midway after one attempt of every activity, and rolls back what was written', async () => {
    await seedCustomers(20);
    const before = await liveByExternalId();
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: CREATE_PATH, latencyMs: 100 }] });
    const id = await startLoad({ operation: 'upsert', records: customers(20, 270, 'auth') });
    await waitUntil(async () => (await h.api('GET', `/v1/loads/${id}`)).body.counts.created > 0);
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: CREATE_PATH, status: 401 }] });
    const load = await h.waitForLoad(id, ['rolled_back', 'failed', 'completed']);
    expect(load.status).toBe('rolled_back');
    expect(load.error?.message).toMatch(/401/);
    expect(await liveByExternalId()).toEqual(before);
    expect((await attemptsOf(id)).every((a) => a === 1)).toBe(true);
  });

  it('waits out a storm of 429s (no Retry-After, as Stripe sends them) and completes', async () => {
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: CREATE_PATH, status: 429, times: 5 }] });
    const id = await startLoad({ operation: 'upsert', records: customers(0, 100, 'storm') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ created: 100, verified: 100, failed: 0 });
    expect((await requestsTo('POST', CREATE_PATH)).filter((r) => r.status === 429)).toHaveLength(5);
    expect(Object.keys(await liveByExternalId())).toHaveLength(100);
  });

  it('cancelled midway, leaves the sandbox as it was before the load', async () => {
    await seedCustomers(40);
    const before = await liveByExternalId();
    await h.admin('POST', 'faults', { faults: [{ path: '^/v1/customers', method: 'POST', latencyMs: 150 }] });
    const id = await startLoad({ operation: 'upsert', records: customers(20, 520, 'cancel') });
    await waitUntil(async () => (await h.api('GET', `/v1/loads/${id}`)).body.counts.created > 0);
    expect((await h.api('POST', `/v1/loads/${id}/cancel`)).status).toBe(202);
    const load = await h.waitForLoad(id, ['cancelled', 'failed', 'completed']);
    expect(load.status).toBe('cancelled');
    expect(load.counts.created + load.counts.updated).toBeLessThan(500);
    expect(await liveByExternalId()).toEqual(before);
    expect(await h.allRecords(id, 'rollback_failed')).toEqual([]);
  });

  it('rolled back after completion, restores updated customers and re-creates deleted ones (with new ids)', async () => {
    await seedCustomers(60);
    const before = await liveByExternalId();
    const upsert = await startLoad({ operation: 'upsert', records: customers(30, 90, 'rb').map((c) => ({ ...c, description: null })) });
    expect((await h.waitForLoad(upsert, ['completed', 'failed'])).status).toBe('completed');
    const del = await startLoad({ operation: 'delete', records: customers(0, 10, 'x').map((c) => ({ 'metadata.external_id': c['metadata.external_id'] })) });
    expect((await h.waitForLoad(del, ['completed', 'failed'])).counts.deleted).toBe(10);
    expect(await liveByExternalId()).not.toEqual(before);

    expect((await h.api('POST', `/v1/loads/${del}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(del, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    const recreated = await h.allRecords(del);
    expect(recreated.every((r) => r.status === 'rolled_back')).toBe(true);
    expect((await h.api('POST', `/v1/loads/${upsert}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(upsert, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await liveByExternalId()).toEqual(before);
  });

  it('catches a delete that answers 200 but keeps the customer, and reports it', async () => {
    await seedCustomers(10);
    await h.admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const id = await startLoad({ operation: 'delete', records: customers(0, 10, 'del').map((c) => ({ 'metadata.external_id': c['metadata.external_id'] })),
      options: { onError: 'continue' } });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.counts.failed).toBe(10);
    const failed = await h.allRecords(id, 'failed');
    expect(failed[0].errors[0].message).toMatch(/still there/);
    expect(Object.keys(await liveByExternalId())).toHaveLength(10);
  });
});


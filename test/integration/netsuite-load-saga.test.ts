import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// NetSuite end to end through the REST API, on real Temporal and Postgres: loads with snapshot,
// write, verify and rollback (re-creating deleted customers, which keep their externalId but get
// new internal ids), and capture into the Stream. "The sandbox's state" is the live customers by
// externalId with their writable fields.

jest.setTimeout(180_000);

type Rec = Record<string, unknown>;
const WRITABLE = ['companyName', 'email', 'phone', 'comments', 'isPerson'];

describe('NetSuite through the REST API: loads, rollback and capture', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('netsuite'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => { await h.admin('POST', 'reset'); });

  const customers = (from: number, to: number, tag: string): Rec[] => Array.from({ length: to - from }, (_, i) => ({
    externalId: `ext-${from + i}`, companyName: `${tag} ${from + i}`, email: `c${from + i}@example.com`,
  }));
  async function liveByExternalId(): Promise<Record<string, Rec>> {
    const state = (await h.admin('GET', 'state')).body.objects.customer as Rec[];
    const out: Record<string, Rec> = {};
    for (const c of state) {
      const key = String(c.externalId);
      expect(out[key]).toBeUndefined(); // never two live customers for one external id
      out[key] = Object.fromEntries(WRITABLE.map((f) => [f, c[f] ?? null]));
    }
    return out;
  }
  async function startLoad(body: Rec): Promise<string> {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'customer', naturalKey: 'externalId', ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }
  async function attemptsOf(id: string): Promise<number[]> {
    const history = await h.temporal.workflow.getHandle(`load-${h.tenantId}-${id}`).fetchHistory();
    return (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
  }

  it('upserts 120 customers (40 existing), reports 3 refusals by field, then rolls back to exactly the state before', async () => {
    await h.admin('POST', 'seed', { objects: { customer: customers(0, 40, 'before').map((c) => ({ ...c, comments: 'seeded' })) } });
    const before = await liveByExternalId();
    const records = customers(0, 120, 'after');
    delete records[5].companyName; // an existing customer keeps its name: only a new one must have it
    records[5].phone = '555-0199';
    delete records[70].companyName;
    records[90].email = 'not-an-email';
    records[100].comments = 'x'.repeat(1000);
    const id = await startLoad({ operation: 'upsert', records, options: { onError: 'continue' } });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 120, updated: 40, created: 77, failed: 3, verified: 117 });
    const failed = await h.allRecords(id, 'failed');
    expect(failed.map((r) => [r.index, r.errors.map((e: Rec) => e.field)])).toEqual([[70, ['companyName']], [90, ['email']], [100, ['comments']]]);
    expect(Object.keys(await liveByExternalId())).toHaveLength(117);

    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    const rolled = await h.waitForLoad(id, ['rolled_back', 'failed']);
    expect(rolled.status).toBe('rolled_back');
    expect(await h.allRecords(id, 'rollback_failed')).toEqual([]);
    expect(await liveByExternalId()).toEqual(before);
  });

  it('rolls a delete back by re-creating the customers with their externalId (new internal ids, recorded)', async () => {
    const seeded = (await h.admin('POST', 'seed', { objects: { customer: customers(0, 10, 'keep').map((c) => ({ ...c, phone: '555-0100' })) } })).body.objects.customer as Rec[];
    const before = await liveByExternalId();
    const id = await startLoad({ operation: 'delete', records: customers(0, 10, 'x').map((c) => ({ externalId: c.externalId })) });
    expect((await h.waitForLoad(id, ['completed', 'failed'])).counts).toMatchObject({ deleted: 10, failed: 0 });
    expect(await liveByExternalId()).toEqual({});
    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await liveByExternalId()).toEqual(before);
    const oldIds = new Set(seeded.map((c) => String(c.id)));
    const state = (await h.admin('GET', 'state')).body.objects.customer as Rec[];
    expect(state.every((c) => !oldIds.has(String(c.id)))).toBe(true);
  });

  it('loads sales orders with their item lines, verifies the lines as written, and rolls a line change back exactly', async () => {
    const [buyer] = (await h.admin('POST', 'seed', { objects: { customer: [{ externalId: 'buyer', companyName: 'Buyer' }] } })).body.objects.customer as Rec[];
    const order = (i: number, lines: Rec[]) => ({ externalId: `SO-${i}`, entity: { id: String(buyer.id) }, tranDate: '2024-03-01', item: { items: lines } });
    const create = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'salesOrder', naturalKey: 'externalId', operation: 'create',
      records: [order(1, [{ item: { id: '7' }, quantity: 2, rate: 10 }]), order(2, [{ item: { id: '8' }, quantity: 1, rate: 5, description: 'gift' }])] });
    expect((await h.waitForLoad(create.body.id, ['completed', 'failed'])).counts).toMatchObject({ created: 2, verified: 2, failed: 0 });
    const before = (await h.admin('GET', 'state')).body.objects.salesOrder as Rec[];
    const update = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'salesOrder', naturalKey: 'externalId', operation: 'update',
      records: [{ externalId: 'SO-1', item: { items: [{ item: { id: '9' }, quantity: 4, rate: 2.5 }] } }] });
    expect((await h.waitForLoad(update.body.id, ['completed', 'failed'])).counts).toMatchObject({ updated: 1, verified: 1, failed: 0 });
    expect(((await h.admin('GET', 'state')).body.objects.salesOrder as Rec[]).find((o) => o.externalId === 'SO-1')).toMatchObject({ total: 10 });
    expect((await h.api('POST', `/v1/loads/${update.body.id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(update.body.id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    const after = (await h.admin('GET', 'state')).body.objects.salesOrder as Rec[];
    expect(after.map(({ lastModifiedDate: _l, ...o }) => o)).toEqual(before.map(({ lastModifiedDate: _l, ...o }) => o));
  });

  it('stops at a 401 midway (TBA cannot refresh: one attempt of every activity) and rolls back what was written', async () => {
    await h.admin('POST', 'seed', { objects: { customer: customers(0, 5, 'before') } });
    const before = await liveByExternalId();
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/services/rest/record/v1/customer', latencyMs: 100 }] });
    const id = await startLoad({ operation: 'create', records: customers(10, 260, 'auth') });
    await waitFor('the first chunk', async () => (await h.api('GET', `/v1/loads/${id}`)).body.counts.created > 0);
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/services/rest/record/v1/customer', status: 401 }] });
    const load = await h.waitForLoad(id, ['rolled_back', 'failed', 'completed']);
    expect(load.status).toBe('rolled_back');
    expect(load.error?.message).toMatch(/401|INVALID_LOGIN/);
    expect(await liveByExternalId()).toEqual(before);
    expect((await attemptsOf(id)).every((a) => a === 1)).toBe(true);
  });

  it('waits out 429s (NetSuite sends no Retry-After) and completes', async () => {
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/services/rest/record/v1/customer', status: 429, times: 3 }] });
    const id = await startLoad({ operation: 'create', records: customers(0, 20, 'busy') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ created: 20, verified: 20, failed: 0 });
    const limited = ((await h.admin('GET', 'requests')).body.requests as Rec[]).filter((r) => r.status === 429);
    expect(limited).toHaveLength(3);
  });

  it('captures creates, updates and deletes into the Stream exactly once', async () => {
    // The source takes only seconds that ended 10 s ago (its settle margin): run the account clock a
    // minute behind (well within TBA's five-minute timestamp window), so changes settle at once.
    await h.admin('POST', 'clock', { at: new Date(Date.now() - 60_000).toISOString(), frozen: false });
    const created = await startLoad({ operation: 'create', records: customers(0, 30, 'cap') });
    expect((await h.waitForLoad(created, ['completed', 'failed'])).status).toBe('completed');
    const capture = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: 'customer', intervalSeconds: 1 });
    expect(capture.status).toBe(201);
    const stream = async (): Promise<Rec[]> => (await h.api('GET', `/v1/stream?connectionId=${h.connectionId}&limit=1000`)).body.events;
    try {
      await waitFor('the 30 creates', async () => (await stream()).length >= 30);
      await h.admin('POST', 'clock', { advanceMs: 2_000 });
      const update = await startLoad({ operation: 'update', records: customers(0, 5, 'cap').map((c) => ({ externalId: c.externalId, phone: '1' })) });
      expect((await h.waitForLoad(update, ['completed', 'failed'])).status).toBe('completed');
      const del = await startLoad({ operation: 'delete', records: customers(25, 30, 'x').map((c) => ({ externalId: c.externalId })) });
      expect((await h.waitForLoad(del, ['completed', 'failed'])).status).toBe('completed');
      const events = await waitFor('the updates and deletes', async () => { const all = await stream(); return all.length >= 40 ? all : undefined; });
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await stream()).toHaveLength(40);
      expect(events.slice(30).filter((e) => e.op === 'upsert').map((e) => (e.data as Rec).phone)).toEqual(['1', '1', '1', '1', '1']);
      expect(events.slice(30).filter((e) => e.op === 'delete')).toHaveLength(5);
      expect(new Set(events.map((e) => `${e.recordId}/${e.op}/${String(e.occurredAt)}`)).size).toBe(40);
    } finally {
      await h.api('DELETE', `/v1/captures/${capture.body.id}`);
    }
  });
});

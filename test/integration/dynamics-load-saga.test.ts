import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// Dynamics 365 / Dataverse end to end through the REST API, on real Temporal and Postgres: loads
// written as $batch changesets with snapshot, verify and rollback (deleted rows come back with their
// GUIDs), and capture by change tracking into the Stream. "The sandbox's state" is the live
// accounts by accountnumber with their writable columns.

jest.setTimeout(180_000);

type Rec = Record<string, unknown>;
const API = '/api/data/v9.2';
const WRITABLE = ['name', 'telephone1', 'emailaddress1', 'description', 'revenue', 'address1_city'];

describe('Dynamics 365 through the REST API: loads, rollback and capture', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('dynamics'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => { await h.admin('POST', 'reset'); });

  const accounts = (from: number, to: number, tag: string): Rec[] => Array.from({ length: to - from }, (_, i) => ({
    accountnumber: `A-${from + i}`, name: `${tag} ${from + i}`, revenue: 1000 + from + i,
  }));
  async function liveByNumber(): Promise<Record<string, Rec>> {
    const rows = (await h.admin('GET', 'state')).body.objects.accounts as Rec[];
    return Object.fromEntries(rows.map((r) => [String(r.accountnumber), Object.fromEntries(WRITABLE.map((f) => [f, r[f] ?? null]))]));
  }
  async function startLoad(body: Rec): Promise<string> {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'accounts', naturalKey: 'accountnumber', ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }
  async function attemptsOf(id: string): Promise<number[]> {
    const history = await h.temporal.workflow.getHandle(`load-${h.tenantId}-${id}`).fetchHistory();
    return (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
  }

  it('upserts 150 accounts (50 existing) as changesets, names the 3 refused attributes, then rolls back exactly', async () => {
    await h.admin('POST', 'seed', { objects: { accounts: accounts(0, 50, 'before').map((a) => ({ ...a, telephone1: '555-0100' })) } });
    const before = await liveByNumber();
    const records = accounts(0, 150, 'after');
    records[10].name = 'x'.repeat(161);
    records[80].description = 'y'.repeat(2001);
    records[120].shoesize = 44;
    const id = await startLoad({ operation: 'upsert', records, options: { onError: 'continue' } });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 150, updated: 49, created: 98, failed: 3, verified: 147 });
    const failed = await h.allRecords(id, 'failed');
    expect(failed.map((r) => [r.index, r.errors.map((e: Rec) => e.field)])).toEqual([[10, ['name']], [80, ['description']], [120, ['shoesize']]]);

    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await h.allRecords(id, 'rollback_failed')).toEqual([]);
    expect(await liveByNumber()).toEqual(before);
  });

  it('rolls a delete back by re-creating the rows with their original GUIDs', async () => {
    const seeded = (await h.admin('POST', 'seed', { objects: { accounts: accounts(0, 10, 'keep') } })).body.objects.accounts as Rec[];
    const id = await startLoad({ operation: 'delete', records: accounts(0, 10, 'x').map((a) => ({ accountnumber: a.accountnumber })) });
    expect((await h.waitForLoad(id, ['completed', 'failed'])).counts).toMatchObject({ deleted: 10, failed: 0 });
    expect(await liveByNumber()).toEqual({});
    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    const rows = (await h.admin('GET', 'state')).body.objects.accounts as Rec[];
    expect(rows.map((r) => r.accountid).sort()).toEqual(seeded.map((r) => r.accountid).sort());
    expect(rows.find((r) => r.accountnumber === 'A-3')).toMatchObject({ name: 'keep 3', revenue: 1003 });
  });

  it('stops at a 401 midway (after one token refresh, one attempt of every activity) and rolls back what was written', async () => {
    await h.admin('POST', 'seed', { objects: { accounts: accounts(0, 5, 'before') } });
    const before = await liveByNumber();
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: `${API}/$batch`, latencyMs: 1500 }] });
    const id = await startLoad({ operation: 'create', records: accounts(10, 610, 'auth') });
    await waitFor('the first chunk', async () => (await h.api('GET', `/v1/loads/${id}`)).body.counts.created > 0);
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: `${API}/$batch`, status: 401 }] });
    const load = await h.waitForLoad(id, ['rolled_back', 'failed', 'completed']);
    expect(load.status).toBe('rolled_back');
    expect(load.error?.message).toMatch(/401/);
    expect(await liveByNumber()).toEqual(before);
    expect((await attemptsOf(id)).every((a) => a === 1)).toBe(true);
  });

  it('waits out service-protection 429s for their Retry-After and completes', async () => {
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: `${API}/$batch`, status: 429, retryAfter: 2, times: 2 }] });
    const started = Date.now();
    const id = await startLoad({ operation: 'create', records: accounts(0, 30, 'busy') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ created: 30, verified: 30, failed: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
    expect(((await h.admin('GET', 'requests')).body.requests as Rec[]).filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('captures creates, updates and deletes by change tracking into the Stream exactly once', async () => {
    const created = await startLoad({ operation: 'create', records: accounts(0, 30, 'cap') });
    expect((await h.waitForLoad(created, ['completed', 'failed'])).status).toBe('completed');
    const capture = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: 'accounts', intervalSeconds: 1 });
    expect(capture.status).toBe(201);
    const stream = async (): Promise<Rec[]> => (await h.api('GET', `/v1/stream?connectionId=${h.connectionId}&limit=1000`)).body.events;
    try {
      await waitFor('the 30 rows of the first read', async () => (await stream()).length >= 30);
      const update = await startLoad({ operation: 'update', records: accounts(0, 5, 'cap').map((a) => ({ accountnumber: a.accountnumber, telephone1: '1' })) });
      expect((await h.waitForLoad(update, ['completed', 'failed'])).status).toBe('completed');
      const del = await startLoad({ operation: 'delete', records: accounts(25, 30, 'x').map((a) => ({ accountnumber: a.accountnumber })) });
      expect((await h.waitForLoad(del, ['completed', 'failed'])).status).toBe('completed');
      const events = await waitFor('the updates and deletes', async () => { const all = await stream(); return all.length >= 40 ? all : undefined; });
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await stream()).toHaveLength(40);
      const later = events.slice(30);
      expect(later.filter((e) => e.op === 'upsert').map((e) => (e.data as Rec).telephone1)).toEqual(['1', '1', '1', '1', '1']);
      expect(later.filter((e) => e.op === 'delete').map((e) => e.data)).toEqual([null, null, null, null, null]);
    } finally {
      await h.api('DELETE', `/v1/captures/${capture.body.id}`);
    }
  });
});

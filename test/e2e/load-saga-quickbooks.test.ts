import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// Loads and capture end to end through the REST API, on real Temporal and Postgres, against the
// QuickBooks Online sandbox. "The company's state" is its active customers by DisplayName with their
// writable fields: SyncToken and MetaData move with every write, and QuickBooks never deletes a
// customer (a rolled-back create stays behind, inactive).

jest.setTimeout(180_000);

interface StreamEvent { offset: number; recordId: string; op: 'upsert' | 'delete'; version: string; data: Record<string, unknown> | null }

describe('loads into QuickBooks Online: snapshot, write, verify, rollback; capture', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('quickbooks'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => { await h.admin('POST', 'reset'); });

  const customers = (from: number, to: number, tag: string) =>
    Array.from({ length: to - from }, (_, i) => ({ DisplayName: `Person ${from + i}`, GivenName: `${tag}-${from + i}`, 'PrimaryEmailAddr.Address': `p${from + i}@example.com` }));

  async function activeCustomers(): Promise<Record<string, Record<string, unknown>>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const c of (await h.admin('GET', 'state')).body.objects.Customer as any[]) {
      if (!c.Active) continue;
      out[c.DisplayName] = { Id: c.Id, GivenName: c.GivenName ?? null, email: c.PrimaryEmailAddr?.Address ?? null, Notes: c.Notes ?? null };
    }
    return out;
  }
  async function startLoad(body: Record<string, unknown>) {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  it('upserts 40 customers by DisplayName in batches of 30 (10 existing), then rolls back to exactly the state before', async () => {
    await h.admin('POST', 'seed', { objects: { Customer: customers(0, 10, 'before').map(({ 'PrimaryEmailAddr.Address': email, ...c }) => ({ ...c, PrimaryEmailAddr: { Address: email }, Notes: 'seeded' })) } });
    const before = await activeCustomers();
    const id = await startLoad({ object: 'Customer', operation: 'upsert', naturalKey: 'DisplayName', records: customers(0, 40, 'after') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load).toMatchObject({ status: 'completed', counts: { total: 40, created: 30, updated: 10, failed: 0, verified: 40 } });
    const batches = ((await h.admin('GET', 'requests')).body.requests as any[]).filter((r) => r.path.endsWith('/batch'));
    expect(batches).toHaveLength(2);
    expect(batches.every((r) => r.query.includes('minorversion=75'))).toBe(true);
    expect(Object.keys(await activeCustomers())).toHaveLength(40);

    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    const rolledBack = await h.waitForLoad(id, ['rolled_back', 'failed']);
    expect(rolledBack.status).toBe('rolled_back');
    expect(await activeCustomers()).toEqual(before);
    const records = await h.allRecords(id);
    expect(records.every((r) => r.status === 'rolled_back')).toBe(true);
    // The 30 created customers were made inactive: QuickBooks keeps them, with their names.
    const inactive = ((await h.admin('GET', 'state')).body.objects.Customer as any[]).filter((c) => !c.Active);
    expect(inactive).toHaveLength(30);
  });

  it('deletes invoices (operation=delete); the rollback re-creates them and records their new Ids', async () => {
    const seeded = await h.admin('POST', 'seed', { objects: { Customer: [{ DisplayName: 'Ada' }], Item: [{ Name: 'Widget', UnitPrice: 10, IncomeAccountRef: { value: '79' } }] } });
    const customer = seeded.body.objects.Customer[0].Id;
    const item = seeded.body.objects.Item[0].Id;
    const line = (qty: number) => ({ Amount: qty * 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { Qty: qty, ItemRef: { value: item }, UnitPrice: 10 } });
    const created = await startLoad({ object: 'Invoice', operation: 'create', naturalKey: 'DocNumber', records: [1, 2].map((n) => ({ DocNumber: `INV-${n}`, 'CustomerRef.value': customer, TxnDate: '2024-06-01', Line: [line(n)] })) });
    expect((await h.waitForLoad(created, ['completed', 'failed', 'rolled_back'])).counts).toMatchObject({ created: 2, verified: 2 });
    const invoicesBefore = ((await h.admin('GET', 'state')).body.objects.Invoice as any[]);

    const id = await startLoad({ object: 'Invoice', operation: 'delete', naturalKey: 'DocNumber', records: [{ DocNumber: 'INV-1' }, { DocNumber: 'INV-2' }] });
    expect((await h.waitForLoad(id, ['completed', 'failed', 'rolled_back'])).counts).toMatchObject({ deleted: 2, failed: 0 });
    expect(((await h.admin('GET', 'state')).body.objects.Invoice as any[]).every((i) => i.status === 'Deleted')).toBe(true);

    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    const records = await h.allRecords(id);
    for (const r of records) {
      const old = invoicesBefore.find((i) => i.DocNumber === r.key);
      expect(r.status).toBe('rolled_back');
      expect(r.id).not.toBe(old.Id);
      expect(r.rollbackNote).toBe(`re-created with new id ${r.id} (was ${old.Id})`);
    }
    const live = ((await h.admin('GET', 'state')).body.objects.Invoice as any[]).filter((i) => i.status !== 'Deleted');
    expect(live.map((i) => [i.DocNumber, i.TotalAmt, i.CustomerRef.value]).sort()).toEqual([['INV-1', 10, customer], ['INV-2', 20, customer]]);
  });

  it('captures into the Stream: a backfill, then a customer a load deactivates, as a delete', async () => {
    const seeded = await h.admin('POST', 'seed', { objects: { Customer: [{ DisplayName: 'Ada' }, { DisplayName: 'Bob' }] } });
    const [ada, bob] = seeded.body.objects.Customer.map((c: any) => c.Id as string);
    const started = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: 'Customer', intervalSeconds: 1 });
    expect(started.status).toBe(201);
    const stream = async (): Promise<StreamEvent[]> =>
      (await h.api('GET', `/v1/stream?${new URLSearchParams({ connectionId: h.connectionId, object: 'Customer', limit: '100' })}`)).body.events;
    await waitFor('the backfill', async () => (await stream()).length >= 2, 60_000);
    const id = await startLoad({ object: 'Customer', operation: 'delete', naturalKey: 'DisplayName', records: [{ DisplayName: 'Bob' }] });
    expect((await h.waitForLoad(id, ['completed', 'failed'])).counts).toMatchObject({ deleted: 1 });
    const events = await waitFor('the delete', async () => { const all = await stream(); return all.length >= 3 && all; }, 60_000);
    expect(events.map((e) => `${e.recordId}:${e.op}`)).toEqual([`${ada}:upsert`, `${bob}:upsert`, `${bob}:delete`]);
    expect(new Set(events.map((e) => `${e.recordId}/${e.version}`)).size).toBe(3);
    expect(events[2].version).toMatch(/\/1\/inactive$/);
    expect((await h.api('DELETE', `/v1/captures/${started.body.id}`)).status).toBe(204);
  });
});

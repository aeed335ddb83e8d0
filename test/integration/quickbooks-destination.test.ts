import type { ConnectorContext, DestinationContract, Rec } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { mismatches, restoreImage } from '../../src/platform/load/compare';
import { failureOf } from '../helpers/connector-errors';
import { waitFor } from '../helpers/wait';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { startQuickbooks, type QuickbooksHarness } from '../sandboxes/quickbooks-client';

type Logged = { method: string; path: string; status: number; query: string };

describe('QuickBooks Online destination against the sandbox', () => {
  const def = findConnector('quickbooks')!;
  let qb: QuickbooksHarness;
  let ctx: ConnectorContext & { store: { get(t: string, c: string): Promise<Record<string, unknown> | null> } };
  let dest: DestinationContract;

  const company = () => `/v3/company/${qb.realmId}`;
  const requests = async (): Promise<Logged[]> => (await qb.admin('GET', 'requests')).body.requests as Logged[];
  /** The API calls, without the token endpoint's. */
  const apiCalls = async (): Promise<Logged[]> => (await requests()).filter((r) => r.path.startsWith(company()));
  const seed = async (object: string, records: Rec[]): Promise<string[]> =>
    ((await qb.admin('POST', 'seed', { objects: { [object]: records } })).body.objects[object] as Array<{ Id: string }>).map((r) => r.Id);
  const item = (name: string) => ({ Name: name, UnitPrice: 10, 'IncomeAccountRef.value': '79' });
  const line = (itemId: string, qty: number, unitPrice = 10) => ({ Amount: qty * unitPrice, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { Qty: qty, ItemRef: { value: itemId }, UnitPrice: unitPrice } });

  beforeEach(async () => {
    qb = await startQuickbooks();
    // The test's own client refreshes first: Intuit and FreshBooks void a refresh token once used, so
    // the connection must start from the token that refresh handed out.
    await qb.api('GET', `/companyinfo/${qb.realmId}`);
    await qb.admin('DELETE', 'requests');
    ctx = await connectToSandbox(def, qb.url) as typeof ctx;
    dest = def.destination(ctx);
  });
  afterEach(async () => { await qb.stop(); });

  it('is registered with Customer, Item and Invoice, batches of 30, SyncToken as version, minor version 75 on every call', async () => {
    expect(def.objects.map((o) => o.name)).toEqual(['Customer', 'Item', 'Invoice']);
    for (const spec of def.objects) expect(spec).toMatchObject({ batchSize: 30, versionField: 'SyncToken', naturalKeys: ['Id', expect.any(String)] });
    expect(() => def.config.parse({ baseUrl: qb.url })).toThrow(/realmId/);
    await def.check(ctx);
    const logged = await apiCalls();
    expect(logged.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`GET ${company()}/companyinfo/${qb.realmId} 200`]);
    expect(logged[0].query).toContain('minorversion=75');
  });

  it('reads by Id and by DisplayName ignoring case; inactive customers and deleted invoices read as absent', async () => {
    const [ada, gone] = await seed('Customer', [{ DisplayName: 'Ada Lovelace', PrimaryEmailAddr: { Address: 'ada@example.com' } }, { DisplayName: 'Gone', Active: false }]);
    const byId = await dest.read('Customer', 'Id', [ada, gone, '999']);
    expect(byId.get(ada)).toMatchObject({ Id: ada, DisplayName: 'Ada Lovelace', 'PrimaryEmailAddr.Address': 'ada@example.com', SyncToken: '0', Active: true });
    expect(byId.get(gone)).toBeNull();
    expect(byId.get('999')).toBeNull();
    expect((await dest.read('Customer', 'DisplayName', ['ADA LOVELACE'])).get('ADA LOVELACE')).toMatchObject({ Id: ada });
    expect((await apiCalls()).every((r) => r.query.includes('minorversion=75'))).toBe(true);

    // Thirty long names make a statement too long for a URL: it goes in the body of a POST.
    const long = Array.from({ length: 30 }, (_, i) => `${'Long name '.repeat(40)}${i}`);
    await seed('Customer', [{ DisplayName: long[29] }]);
    await qb.admin('DELETE', 'requests');
    const found = await dest.read('Customer', 'DisplayName', long);
    expect(found.get(long[29])).toMatchObject({ DisplayName: long[29] });
    expect(found.get(long[0])).toBeNull();
    expect((await apiCalls()).map((r) => `${r.method} ${r.path.replace(company(), '')}`)).toEqual(['POST /query']);
  });

  it('writes 31 records in two batch calls and fails exactly the invalid ones, naming the field each Fault element names', async () => {
    await seed('Customer', [{ DisplayName: 'Taken' }]);
    const records: Rec[] = Array.from({ length: 31 }, (_, i) => ({ DisplayName: `Person ${i}`, GivenName: `P${i}` }));
    records[3] = { DisplayName: 'Person 3', 'PrimaryEmailAddr.Address': 'not-an-email' };
    records[17] = { DisplayName: 'Person 17', Nickname: 'x' };
    const results = await dest.write('Customer', 'upsert', 'DisplayName', records);
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(29);
    expect(results[3]).toMatchObject({ outcome: 'failed', errors: [{ field: 'PrimaryEmailAddr.Address' }] });
    expect(results[17]).toMatchObject({ outcome: 'failed', errors: [{ field: 'Nickname' }] });
    expect((await requests()).filter((r) => r.path === `${company()}/batch`)).toHaveLength(2);

    const clash = await dest.write('Customer', 'create', 'DisplayName', [{ DisplayName: 'Fresh' }]);
    expect(clash[0]).toMatchObject({ outcome: 'created' });
    const renamed = await dest.write('Customer', 'update', 'Id', [{ Id: clash[0].id, DisplayName: 'taken' }]);
    expect(renamed[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'DisplayName', message: expect.stringMatching(/already exists/) }] });
  });

  it('updates sparsely with the current SyncToken; a stale one (5010) is re-read and the update retried', async () => {
    const [id] = await seed('Customer', [{ DisplayName: 'Ada', Notes: 'keep', SyncToken: '4' }]);
    const results = await dest.write('Customer', 'update', 'Id', [{ Id: id, SyncToken: '1', GivenName: 'Augusta' }]);
    expect(results).toEqual([{ index: 0, key: id, id, outcome: 'updated' }]);
    const after = (await dest.read('Customer', 'Id', [id])).get(id);
    expect(after).toMatchObject({ GivenName: 'Augusta', Notes: 'keep', SyncToken: '5' });
    const trail = (await apiCalls()).filter((r) => r.method === 'POST' || r.path.endsWith(`/customer/${id}`)).map((r) => `${r.method} ${r.path.replace(company(), '')} ${r.status}`);
    expect(trail).toEqual(['POST /batch 200', `GET /customer/${id} 200`, 'POST /customer 200']);
  });

  it('recovers when someone else edits the customer between the read and the batch', async () => {
    const [id] = await seed('Customer', [{ DisplayName: 'Race' }]);
    await qb.admin('POST', 'faults', { faults: [{ method: 'POST', path: `${company()}/batch`, latencyMs: 700, times: 1 }] });
    const before = (await apiCalls()).length;
    const writing = dest.write('Customer', 'update', 'DisplayName', [{ DisplayName: 'Race', Notes: 'from the load' }]);
    // Their edit lands once our read has answered, while our batch is held by the fault's latency.
    await waitFor('the load to read the customer', async () => (await apiCalls()).slice(before).some((r) => r.path.endsWith('/query')) || undefined, 10_000, 20);
    expect((await qb.api('POST', '/customer', { Id: id, SyncToken: '0', sparse: true, CompanyName: 'Meanwhile' })).status).toBe(200);
    expect((await writing)[0]).toMatchObject({ outcome: 'updated', id });
    expect((await dest.read('Customer', 'Id', [id])).get(id)).toMatchObject({ Notes: 'from the load', CompanyName: 'Meanwhile', SyncToken: '2' });
    // The batch item was refused as stale; the customer was read again and the update sent alone.
    expect((await apiCalls()).map((r) => `${r.method} ${r.path.replace(company(), '')}`)).toEqual(expect.arrayContaining([`GET /customer/${id}`, 'POST /customer']));
  });

  it('restores a before-image after the load moved the SyncToken, as a rollback does', async () => {
    const [id] = await seed('Item', [{ ...item('Widget'), IncomeAccountRef: { value: '79' }, Description: 'old' }]);
    const before = (await dest.read('Item', 'Name', ['Widget'])).get('Widget')!;
    const load = { Name: 'Widget', Description: 'new', UnitPrice: 12 };
    expect((await dest.write('Item', 'update', 'Name', [load]))[0].outcome).toBe('updated');
    const image = { ...restoreImage(before, ['Description', 'UnitPrice']), Name: 'Widget' };
    expect((await dest.write('Item', 'update', 'Name', [image]))[0]).toMatchObject({ outcome: 'updated', id });
    const now = (await dest.read('Item', 'Name', ['Widget'])).get('Widget');
    expect(mismatches(image, now ?? null, ['Description', 'UnitPrice'])).toEqual([]);
    expect(now?.SyncToken).toBe('2');
  });

  it('deletes a customer by making it inactive, confirmed by a read; restore makes the same Id active again', async () => {
    const [ada, bob] = await seed('Customer', [{ DisplayName: 'Ada' }, { DisplayName: 'Bob' }]);
    const before = (await dest.read('Customer', 'Id', [ada])).get(ada)!;
    expect(await dest.delete('Customer', 'DisplayName', ['Ada'])).toEqual([{ index: 0, key: 'Ada', id: ada, outcome: 'deleted' }]);
    expect((await qb.api('GET', `/customer/${ada}`)).body.Customer).toMatchObject({ Active: false, SyncToken: '1' });
    expect((await dest.read('Customer', 'Id', [ada])).get(ada)).toBeNull();
    expect(await dest.restore('Customer', 'Id', before)).toEqual({ id: ada, recreated: false });
    expect((await dest.read('Customer', 'Id', [ada])).get(ada)).toMatchObject({ Active: true, DisplayName: 'Ada' });

    await qb.admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const lied = await dest.delete('Customer', 'Id', [bob]);
    expect(lied[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'Id', message: expect.stringMatching(/still there/) }] });
  });

  it('makes an inactive customer active again when a load creates or upserts its DisplayName', async () => {
    const [id] = await seed('Customer', [{ DisplayName: 'Dormant', Notes: 'old', Active: false }]);
    const results = await dest.write('Customer', 'upsert', 'DisplayName', [{ DisplayName: 'Dormant', Notes: 'back' }]);
    expect(results).toEqual([{ index: 0, key: 'Dormant', id, outcome: 'created' }]);
    expect((await dest.read('Customer', 'Id', [id])).get(id)).toMatchObject({ Active: true, Notes: 'back' });
  });

  it('deletes invoices with operation=delete and re-creates them on restore, with a new Id', async () => {
    const [customer] = await seed('Customer', [{ DisplayName: 'Ada' }]);
    const [widget] = await seed('Item', [{ Name: 'Widget', UnitPrice: 10, IncomeAccountRef: { value: '79' } }]);
    const created = await dest.write('Invoice', 'upsert', 'DocNumber', [{ DocNumber: 'INV-1', 'CustomerRef.value': customer, TxnDate: '2024-06-01', Line: [line(widget, 3)] }]);
    expect(created[0]).toMatchObject({ outcome: 'created' });
    const before = (await dest.read('Invoice', 'DocNumber', ['INV-1'])).get('INV-1')!;
    expect(before).toMatchObject({ TotalAmt: 30, 'CustomerRef.value': customer, Line: [line(widget, 3)] });
    expect((await dest.delete('Invoice', 'DocNumber', ['INV-1']))[0]).toMatchObject({ outcome: 'deleted', id: created[0].id });
    expect((await requests()).some((r) => r.path === `${company()}/batch`)).toBe(true);
    expect((await dest.read('Invoice', 'DocNumber', ['INV-1'])).get('INV-1')).toBeNull();

    const restored = await dest.restore('Invoice', 'DocNumber', before);
    expect(restored.recreated).toBe(true);
    expect(restored.id).not.toBe(created[0].id);
    const back = (await dest.read('Invoice', 'DocNumber', ['INV-1'])).get('INV-1');
    expect(back).toMatchObject({ Id: restored.id, TotalAmt: 30, TxnDate: '2024-06-01' });
    expect(mismatches(before, back ?? null, ['Line', 'CustomerRef.value', 'DueDate'])).toEqual([]);
  });

  it('takes 429s as transient: Retry-After when given, else the documented 60 seconds; 401 is permanent', async () => {
    await qb.admin('POST', 'faults', { faults: [{ method: 'GET', path: `${company()}/query`, status: 429, times: 1 }] });
    expect(await failureOf(dest.read('Customer', 'Id', ['1']))).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 60_000, code: '3001' });
    await qb.admin('POST', 'faults', { faults: [{ method: 'GET', path: `${company()}/query`, status: 429, retryAfter: 2, times: 1 }] });
    expect(await failureOf(dest.read('Customer', 'Id', ['1']))).toMatchObject({ kind: 'transient', retryAfterMs: 2000 });
    await qb.admin('POST', 'faults', { faults: [{ method: 'GET', path: `${company()}/query`, status: 401 }] });
    expect(await failureOf(dest.read('Customer', 'Id', ['1']))).toMatchObject({ kind: 'permanent', status: 401, code: '3200' });
  });

  it('saves every rotated refresh token: refreshes racing in one worker share one token request and lose nothing', async () => {
    const twin = def.destination(ctx);
    await Promise.all([dest.read('Customer', 'Id', ['1']), twin.read('Customer', 'Id', ['2']), dest.read('Item', 'Id', ['3'])]);
    const tokenCalls = async () => (await requests()).filter((r) => r.path === '/oauth2/v1/tokens/bearer');
    expect(await tokenCalls()).toHaveLength(1);
    const sandboxToken = (await qb.admin('GET', 'credentials')).body.credentials.refreshToken;
    expect((await ctx.store.get(ctx.tenantId, ctx.connectionId))?.refreshToken).toBe(sandboxToken);

    for (let round = 0; round < 3; round++) {
      await qb.admin('POST', 'faults', { faults: [{ kind: 'expire-token' }] });
      await Promise.all([dest.read('Customer', 'Id', ['1']), twin.read('Customer', 'Id', ['2'])]);
    }
    expect((await tokenCalls()).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await ctx.store.get(ctx.tenantId, ctx.connectionId))?.refreshToken).toBe((await qb.admin('GET', 'credentials')).body.credentials.refreshToken);
  });
});

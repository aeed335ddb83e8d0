import type { ConnectorContext, DestinationContract, Rec } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { mismatches } from '../../src/platform/load/compare';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { startFreshbooks, type FreshbooksHarness } from '../sandboxes/freshbooks-client';

type Logged = { method: string; path: string; status: number; query: string };

describe('FreshBooks destination against the sandbox', () => {
  const def = findConnector('freshbooks')!;
  let fb: FreshbooksHarness;
  let ctx: ConnectorContext & { store: { get(t: string, c: string): Promise<Record<string, unknown> | null> } };
  let dest: DestinationContract;

  const requests = async (): Promise<Logged[]> => (await fb.admin('GET', 'requests')).body.requests as Logged[];
  const seed = async (object: string, records: Rec[]): Promise<string[]> =>
    ((await fb.admin('POST', 'seed', { objects: { [object]: records } })).body.objects[object] as Array<{ id: number }>).map((r) => String(r.id));
  const clientsPath = () => `/accounting/account/${fb.accountId}/users/clients`;

  beforeEach(async () => {
    fb = await startFreshbooks();
    // The test's own client refreshes first: Intuit and FreshBooks void a refresh token once used, so
    // the connection must start from the token that refresh handed out.
    await fb.api('GET', '/users/clients');
    await fb.admin('DELETE', 'requests');
    ctx = await connectToSandbox(def, fb.url) as typeof ctx;
    dest = def.destination(ctx);
  });
  afterEach(async () => { await fb.stop(); });

  it('is registered with clients, invoices and items; its check proves the account belongs to the signed-in user', async () => {
    expect(def.objects.map((o) => o.name)).toEqual(['clients', 'invoices', 'items']);
    expect(def.objects.find((o) => o.name === 'clients')!.naturalKeys).toEqual(['id', 'email']);
    expect(() => def.config.parse({ baseUrl: fb.url, businessId: '1' })).toThrow(/accountId/);
    await def.check(ctx);
    const wrong = await connectToSandbox(def, fb.url);
    await expect(def.check({ ...wrong, config: { ...wrong.config, accountId: 'other' } })).rejects.toMatchObject({ kind: 'permanent', fields: [{ field: 'config.accountId' }] });
  });

  it('reads by id and by email ignoring case; deleted clients read as absent', async () => {
    const [ada, gone] = await seed('clients', [{ fname: 'Ada', email: 'ada@example.com' }, { organization: 'Gone', vis_state: 1 }]);
    const byId = await dest.read('clients', 'id', [ada, gone, '424242']);
    expect(byId.get(ada)).toMatchObject({ id: ada, fname: 'Ada', email: 'ada@example.com', vis_state: 0 });
    expect(byId.get(gone)).toBeNull();
    expect(byId.get('424242')).toBeNull();
    expect((await dest.read('clients', 'email', ['ADA@example.com'])).get('ADA@example.com')).toMatchObject({ id: ada });
    await expect(dest.read('items', 'name', ['x'])).rejects.toMatchObject({ kind: 'permanent', fields: [{ field: 'name' }] });
  });

  it('upserts by email, one request per record, wrapped in { client }, failing the refused ones with the fields FreshBooks names', async () => {
    const [existing] = await seed('clients', [{ organization: 'Old', email: 'p0@example.com', note: 'keep' }]);
    const records: Rec[] = Array.from({ length: 6 }, (_, i) => ({ email: `p${i}@example.com`, organization: `Person ${i}` }));
    records[4] = { email: 'p4@example.com', organization: 'Person 4', currency_code: 'dollars' };
    const results = await dest.write('clients', 'upsert', 'email', records);
    expect(results[0]).toEqual({ index: 0, key: 'p0@example.com', id: existing, outcome: 'updated' });
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(4);
    expect(results[4]).toMatchObject({ outcome: 'failed', errors: [{ field: 'currency_code' }] });
    expect((await dest.read('clients', 'id', [existing])).get(existing)).toMatchObject({ organization: 'Person 0', note: 'keep' });
    const invalid = await dest.write('clients', 'create', 'email', [{ email: 'not-an-email', fname: 'X' }]);
    expect(invalid[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'email', message: 'Invalid email address.' }] });
    // Five creates of the upsert (one refused) and the refused create: one POST per record, no batch.
    expect((await requests()).filter((r) => r.method === 'POST' && r.path === clientsPath()).map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 422, 422]);
  });

  it('never sends vis_state with data (FreshBooks would apply only vis_state and drop the rest silently)', async () => {
    const [id] = await seed('clients', [{ organization: 'Acme', note: 'before' }]);
    const results = await dest.write('clients', 'update', 'id', [{ id, note: 'after', vis_state: 0 }]);
    expect(results[0].outcome).toBe('updated');
    expect((await dest.read('clients', 'id', [id])).get(id)).toMatchObject({ note: 'after' });
  });

  it('deletes softly (vis_state 1), confirmed by a read; restore sets vis_state 0 on the same id; a lying delete fails', async () => {
    const [ada, bob] = await seed('clients', [{ fname: 'Ada', email: 'ada@example.com' }, { fname: 'Bob', email: 'bob@example.com' }]);
    const before = (await dest.read('clients', 'id', [ada])).get(ada)!;
    expect(await dest.delete('clients', 'email', ['ada@example.com'])).toEqual([{ index: 0, key: 'ada@example.com', id: ada, outcome: 'deleted' }]);
    expect((await fb.api('GET', `/users/clients/${ada}`)).body.response.result.client.vis_state).toBe(1);
    expect(await dest.restore('clients', 'email', before)).toEqual({ id: ada, recreated: false });
    expect((await dest.read('clients', 'email', ['ada@example.com'])).get('ada@example.com')).toMatchObject({ id: ada, fname: 'Ada' });

    await fb.admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const lied = await dest.delete('clients', 'id', [bob]);
    expect(lied[0]).toMatchObject({ outcome: 'failed', errors: [{ message: expect.stringMatching(/still there/) }] });
  });

  it('re-creates a resource deleted for good, with a new id', async () => {
    const [id] = await seed('clients', [{ fname: 'Ada', email: 'ada@example.com', note: 'n' }]);
    const before = (await dest.read('clients', 'id', [id])).get(id)!;
    await fb.admin('POST', 'reset');
    const restored = await dest.restore('clients', 'email', before);
    expect(restored.recreated).toBe(true);
    expect(restored.id).not.toBe(id);
    const back = (await dest.read('clients', 'email', ['ada@example.com'])).get('ada@example.com');
    expect(mismatches(before, back ?? null, ['fname', 'email', 'note'])).toEqual([]);
  });

  it('writes invoices with lines and reads the lines back in the form written', async () => {
    const [customer] = await seed('clients', [{ organization: 'Acme' }]);
    const invoice = { customerid: Number(customer), create_date: '2024-07-01', invoice_number: 'F-1', lines: [{ qty: 4, name: 'Work', unit_cost: { code: 'USD', amount: '25.00' } }] };
    expect((await dest.write('invoices', 'upsert', 'invoice_number', [invoice]))[0].outcome).toBe('created');
    const back = (await dest.read('invoices', 'invoice_number', ['F-1'])).get('F-1');
    expect(back).toMatchObject({ 'amount.amount': '100.00', customerid: Number(customer) });
    expect(mismatches(invoice, back ?? null, ['customerid', 'create_date', 'lines'])).toEqual([]);
    const bad = await dest.write('invoices', 'create', 'invoice_number', [{ ...invoice, invoice_number: 'F-2', lines: [{ name: 'x', qty: 'many' }] }]);
    expect(bad[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'lines' }] });
  });

  it('takes a 429 as transient and a 401 as permanent', async () => {
    await fb.admin('POST', 'faults', { faults: [{ method: 'GET', path: `${clientsPath()}/*`, status: 429, retryAfter: 5, times: 1 }] });
    expect(await failureOf(dest.read('clients', 'id', ['100001']))).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 5000 });
    await fb.admin('POST', 'faults', { faults: [{ method: 'GET', path: `${clientsPath()}/*`, status: 401 }] });
    expect(await failureOf(dest.read('clients', 'id', ['100001']))).toMatchObject({ kind: 'permanent', status: 401 });
  });

  it('uses each single-use refresh token once and keeps the newest: racing refreshes in one worker share one request', async () => {
    const twin = def.destination(ctx);
    const tokenCalls = async () => (await requests()).filter((r) => r.path === '/auth/oauth/token');
    for (let round = 0; round < 3; round++) {
      await fb.admin('POST', 'faults', { faults: [{ kind: 'expire-token' }] });
      await Promise.all([dest.read('clients', 'id', ['1']), twin.read('clients', 'id', ['2']), dest.read('items', 'id', ['3'])]);
    }
    expect((await tokenCalls()).map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await ctx.store.get(ctx.tenantId, ctx.connectionId))?.refreshToken).toBe((await fb.admin('GET', 'credentials')).body.credentials.refreshToken);
  });
});

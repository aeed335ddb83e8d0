import type { ConnectorContext, DestinationContract, Rec } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { startSalesforceSandbox } from '../../sandboxes/salesforce';
import type { RunningSandbox } from '../../sandboxes/kit';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { failureOf } from '../helpers/connector-errors';


type Logged = { method: string; path: string; status: number };
const V = '/services/data/v62.0';
const COLLECTIONS = `${V}/composite/sobjects`;

function contacts(from: number, to: number, tag: string): Rec[] {
  return Array.from({ length: to - from }, (_, i) => ({ External_Id__c: `ext-${from + i}`, LastName: `${tag}-${from + i}`, Email: `p${from + i}@example.com` }));
}

describe('Salesforce destination against the sandbox', () => {
  const def = findConnector('salesforce')!;
  let sandbox: RunningSandbox;
  let ctx: ConnectorContext;
  let dest: DestinationContract;

  const admin = async (method: string, p: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${sandbox.url}/__sandbox/${p}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return res.json();
  };
  const requests = async (): Promise<Logged[]> => (await admin('GET', 'requests')).requests;
  const seed = async (object: string, records: Rec[]): Promise<string[]> => ((await admin('POST', 'seed', { objects: { [object]: records } })).objects[object] as Array<{ Id: string }>).map((r) => r.Id);
  const state = async (object: string): Promise<any[]> => (await admin('GET', 'state')).objects[object];

  beforeEach(async () => {
    sandbox = await startSalesforceSandbox();
    ctx = await connectToSandbox(def, sandbox.url);
    dest = def.destination(ctx);
  });
  afterEach(async () => { await sandbox.stop(); });

  it('is registered with Account, Contact, Opportunity and custom objects by API name', async () => {
    expect(def.objects.map((o) => o.name)).toEqual(['Account', 'Contact', 'Opportunity']);
    for (const spec of def.objects) {
      expect(spec.naturalKeys).toEqual(['Id', 'External_Id__c']);
      expect(spec.batchSize).toBe(200);
    }
    expect(def.customObject?.('Invoice__c')).toMatchObject({ name: 'Invoice__c', dynamicFields: true, naturalKeys: ['Id'] });
    expect(def.customObject?.('Invoice')).toBeUndefined();
    expect(def.config.parse({})).toEqual({ loginUrl: 'https://login.salesforce.com', apiVersion: '62.0', changeDataCapture: false });
    await def.check(ctx);
    expect((await requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /services/oauth2/token 200', `GET ${V}/query 200`]);
  });

  it('reads by Id (15 or 18 characters) and by External ID, deleted records absent; custom objects too', async () => {
    const [ada, bob, gone] = await seed('Contact', [
      { LastName: 'Lovelace', FirstName: 'Ada', External_Id__c: 'ext-ada' },
      { LastName: 'Hopper', External_Id__c: 'ext-bob' },
      { LastName: 'Gone', External_Id__c: 'ext-gone', IsDeleted: true },
    ]);
    const byId = await dest.read('Contact', 'Id', [ada, bob.slice(0, 15), gone, '003000000000000AAA', 'garbage'], ['FirstName', 'LastName']);
    expect(byId.get(ada)).toEqual({ Id: ada, FirstName: 'Ada', LastName: 'Lovelace' });
    expect(byId.get(bob.slice(0, 15))).toMatchObject({ Id: bob, LastName: 'Hopper' });
    expect(byId.get(gone)).toBeNull();
    expect(byId.get('003000000000000AAA')).toBeNull();
    expect(byId.get('garbage')).toBeNull();

    const byExternal = await dest.read('Contact', 'External_Id__c', ['EXT-ADA', 'ext-none', 'ext-gone'], ['FirstName']);
    expect(byExternal.get('EXT-ADA')).toMatchObject({ Id: ada, FirstName: 'Ada', External_Id__c: 'ext-ada' });
    expect(byExternal.get('ext-none')).toBeNull();
    expect(byExternal.get('ext-gone')).toBeNull();

    const [invoice] = await seed('Invoice__c', [{ Name: 'INV-1', Invoice_Number__c: 'N-1', Amount__c: 10 }]);
    const custom = await dest.read('Invoice__c', 'Invoice_Number__c', ['N-1']);
    expect(custom.get('N-1')).toMatchObject({ Id: invoice, Name: 'INV-1', Amount__c: 10, Status__c: null });
  });

  it('creates, updates and upserts 450 records in 3 calls each; 3 invalid ones fail with their fields', async () => {
    const records = contacts(0, 450, 'v1');
    delete records[7].LastName;
    records[200].Email = 'not-an-email';
    records[449].Email = 'also bad';
    const created = await dest.write('Contact', 'create', 'External_Id__c', records);
    expect(created.filter((r) => r.outcome === 'created')).toHaveLength(447);
    expect(created.filter((r) => r.outcome === 'failed').map((r) => [r.index, r.errors!.map((e) => e.field)])).toEqual([[7, ['LastName']], [200, ['Email']], [449, ['Email']]]);
    expect(created[200].errors![0].message).toMatch(/INVALID_EMAIL_ADDRESS/);
    expect((await requests()).filter((r) => r.method === 'POST' && r.path === COLLECTIONS)).toHaveLength(3);

    const ids = created.filter((r) => r.outcome === 'created').map((r) => r.id!);
    const updated = await dest.write('Contact', 'update', 'Id', ids.map((Id) => ({ Id, Title: 'Updated' })));
    expect(updated.every((r) => r.outcome === 'updated')).toBe(true);
    expect((await requests()).filter((r) => r.method === 'PATCH' && r.path === COLLECTIONS)).toHaveLength(3);

    const upserted = await dest.write('Contact', 'upsert', 'External_Id__c', contacts(300, 750, 'v2'));
    expect(upserted.filter((r) => r.outcome === 'updated')).toHaveLength(149); // 300..449 existed but 449 had failed
    expect(upserted.filter((r) => r.outcome === 'created')).toHaveLength(301);
    expect((await requests()).filter((r) => r.method === 'PATCH' && r.path === `${COLLECTIONS}/Contact/External_Id__c`)).toHaveLength(3);
    const live = (await state('Contact')).filter((r) => !r.IsDeleted);
    expect(live).toHaveLength(748);
    expect(live.find((r) => r.External_Id__c === 'ext-300')).toMatchObject({ LastName: 'v2-300', Title: 'Updated' });

    const byExternal = await dest.write('Contact', 'update', 'External_Id__c', [{ External_Id__c: 'ext-1', Title: 'By key' }, { External_Id__c: 'ext-nope', Title: 'x' }]);
    expect(byExternal.map((r) => r.outcome)).toEqual(['updated', 'failed']);
  });

  it('stops with permanent after one refresh when the session stays refused', async () => {
    await dest.read('Contact', 'Id', ['003000000000000AAA']);
    await admin('POST', 'faults', { faults: [{ path: `${V}/composite/sobjects/Contact`, status: 401, times: 2 }] });
    const err = await failureOf(dest.read('Contact', 'Id', ['003000000000000AAA']));
    expect(err).toMatchObject({ kind: 'permanent', status: 401 });
    const log = (await requests()).map((r) => `${r.path} ${r.status}`);
    expect(log.filter((l) => l.startsWith('/services/oauth2/token'))).toHaveLength(2);
    expect(log.filter((l) => l.endsWith(' 401'))).toHaveLength(2);
  });

  it('treats 429 and REQUEST_LIMIT_EXCEEDED as transient, with a wait', async () => {
    await admin('POST', 'faults', { faults: [{ path: COLLECTIONS, status: 429, retryAfter: 7, times: 1 }] });
    const throttled = await failureOf(dest.write('Account', 'create', 'Id', [{ Name: 'A' }]));
    expect(throttled).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 7000 });
    await admin('POST', 'faults', { faults: [{ path: COLLECTIONS, status: 403, times: 1 }] });
    const limited = await failureOf(dest.write('Account', 'create', 'Id', [{ Name: 'A' }]));
    expect(limited).toMatchObject({ kind: 'transient', status: 403, retryAfterMs: 30_000 });
    expect(limited.message).toMatch(/REQUEST_LIMIT_EXCEEDED/);
    await admin('POST', 'faults', { faults: [{ path: COLLECTIONS, status: 403, body: [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'no' }], times: 1 }] });
    expect(await failureOf(dest.write('Account', 'create', 'Id', [{ Name: 'A' }]))).toMatchObject({ kind: 'permanent', status: 403 });
  });

  it('confirms deletes by reading back, and catches a delete that lies', async () => {
    const ids = await seed('Account', [{ Name: 'A', External_Id__c: 'a' }, { Name: 'B', External_Id__c: 'b' }, { Name: 'C', External_Id__c: 'c' }]);
    const results = await dest.delete('Account', 'External_Id__c', ['a', 'b', 'never']);
    expect(results.map((r) => r.outcome)).toEqual(['deleted', 'deleted', 'deleted']);
    expect((await state('Account')).filter((r) => r.IsDeleted).map((r) => r.Id)).toEqual([ids[0], ids[1]]);

    await admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const lied = await dest.delete('Account', 'Id', [ids[2]]);
    expect(lied[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'Id', message: expect.stringMatching(/still there/) }] });
  });

  it('restores a deleted record from the recycle bin (same Id), else re-creates it', async () => {
    const [id] = await seed('Contact', [{ LastName: 'Lovelace', FirstName: 'Ada', External_Id__c: 'ada' }]);
    const before = (await dest.read('Contact', 'Id', [id])).get(id)!;
    await dest.delete('Contact', 'Id', [id]);
    expect(await dest.restore('Contact', 'Id', before)).toEqual({ id, recreated: false });
    expect((await dest.read('Contact', 'Id', [id], ['FirstName'])).get(id)).toMatchObject({ FirstName: 'Ada' });
    expect(await dest.restore('Contact', 'Id', before)).toEqual({ id, recreated: false }); // a retried restore
    expect((await requests()).filter((r) => r.path === '/services/Soap/u/62.0').map((r) => r.status)).toEqual([200, 200]);

    const purged = { ...before, Id: '003000000000000AAA' };
    const recreated = await dest.restore('Contact', 'Id', { ...purged, External_Id__c: 'ada-2' });
    expect(recreated.recreated).toBe(true);
    expect(recreated.id).not.toBe(id);
    expect((await dest.read('Contact', 'Id', [recreated.id], ['LastName', 'External_Id__c'])).get(recreated.id)).toMatchObject({ LastName: 'Lovelace', External_Id__c: 'ada-2' });
  });

  it('refreshes an expired session for the SOAP undelete as for REST', async () => {
    const [id] = await seed('Account', [{ Name: 'A' }]);
    const before = (await dest.read('Account', 'Id', [id])).get(id)!;
    await dest.delete('Account', 'Id', [id]);
    await admin('POST', 'faults', { faults: [{ kind: 'expire-token' }] });
    expect(await dest.restore('Account', 'Id', before)).toEqual({ id, recreated: false });
    expect((await requests()).filter((r) => r.path === '/services/Soap/u/62.0').map((r) => r.status)).toEqual([500, 200]);
  });
});

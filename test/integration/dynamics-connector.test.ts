import type { ConnectorContext, DestinationContract, Rec } from '../../src/connectors/contract';
import { DataverseApi } from '../../src/connectors/dynamics/api';
import { dynamicsSource } from '../../src/connectors/dynamics/source';
import { findConnector } from '../../src/connectors/registry';
import { startDynamicsSandbox } from '../../sandboxes/dynamics';
import type { RunningSandbox } from '../../sandboxes/kit';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox, sandboxAdmin } from '../helpers/sandbox-connection';
import { waitFor } from '../helpers/wait';

// The Dynamics 365 / Dataverse connector against its sandbox, through the registered definition
// (client-credentials token, config parsing, object catalog): one test per quirk of issue 13.

type Logged = { method: string; path: string; status: number; query: string };
const API = '/api/data/v9.2';

describe('Dynamics 365 connector against the Dataverse sandbox', () => {
  const def = findConnector('dynamics')!;
  let sandbox: RunningSandbox;
  let ctx: ConnectorContext;
  let dest: DestinationContract;

  const admin = sandboxAdmin(() => sandbox.url);
  const requests = async (): Promise<Logged[]> => (await admin('GET', 'requests')).requests;
  const apiRequests = async () => (await requests()).filter((r) => r.path.startsWith(API)).map((r) => `${r.method} ${r.path.slice(API.length + 1)} ${r.status}`);
  const state = async (object: string): Promise<Rec[]> => (await admin('GET', 'state')).objects[object];
  const seed = async (object: string, records: Rec[]): Promise<Rec[]> => (await admin('POST', 'seed', { objects: { [object]: records } })).objects[object];
  const accounts = (n: number, tag: string, from = 0): Rec[] => Array.from({ length: n }, (_, i) => ({ accountnumber: `${tag}-${from + i}`, name: `${tag} ${from + i}`, revenue: 1000 * (from + i) }));
  /** The Web API as another client would use it, behind the connector's back. */
  const direct = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const { credentials, config } = await admin('GET', 'credentials');
    const token = await (await fetch(`${sandbox.url}/${config.tenantId}/oauth2/v2.0/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret, scope: `${sandbox.url}/.default` }).toString(),
    })).json() as { access_token: string };
    return fetch(`${sandbox.url}${API}/${path}`, { method, headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  };

  beforeAll(async () => { sandbox = await startDynamicsSandbox(); });
  afterAll(async () => { await sandbox.stop(); });
  beforeEach(async () => {
    await admin('POST', 'reset');
    ctx = await connectToSandbox(def, sandbox.url);
    dest = def.destination(ctx);
  });

  it('is registered with app-only client credentials, a typed config and accounts + contacts as data with ETag version tokens', async () => {
    expect(def.auth.scheme).toBe('oauth2-client-credentials');
    expect(def.objects.map((o) => o.name)).toEqual(['accounts', 'contacts']);
    expect(def.objects[0]).toMatchObject({ naturalKeys: ['accountid', 'accountnumber'], versionField: '@odata.etag', cursor: 'delta-link', batchSize: 100 });
    expect(def.config.parse({ environmentUrl: 'https://contoso.crm4.dynamics.com', tenantId: 't' })).toEqual({ environmentUrl: 'https://contoso.crm4.dynamics.com', tenantId: 't', loginBaseUrl: 'https://login.microsoftonline.com' });
    const bad = await failureOf(Promise.resolve().then(() => def.check({ ...ctx, config: {} })));
    expect(bad.fields?.map((f) => f.field).sort()).toEqual(['config.environmentUrl', 'config.tenantId']);
    await def.check(ctx);
    const log = await requests();
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`POST /${(await admin('GET', 'credentials')).config.tenantId}/oauth2/v2.0/token 200`, `GET ${API}/WhoAmI 200`]);
  });

  it('a wrong client secret is permanent; an expired token is refreshed once and the request sent again', async () => {
    await def.check(ctx);
    await admin('POST', 'faults', { faults: [{ kind: 'expire-token' }] });
    await admin('DELETE', 'requests');
    await def.check(ctx);
    expect((await requests()).map((r) => r.status)).toEqual([401, 200, 200]); // WhoAmI 401, token, WhoAmI again
    const other = await connectToSandbox(def, sandbox.url);
    await other.saveCredentials({ ...(await other.credentials()), clientSecret: 'wrong' });
    expect(await failureOf(def.check(other))).toMatchObject({ kind: 'permanent', status: 401 });
  });

  it('reads by primary key and by alternate key (without case), with every column, nulls and the ETag', async () => {
    const [row] = await seed('accounts', [{ name: 'Contoso', accountnumber: 'A-1' }]);
    const id = String(row.accountid);
    const byId = await dest.read('accounts', 'accountid', [id, '00000000-0000-4000-8000-000000000000', 'not-a-guid']);
    expect(byId.get(id)).toMatchObject({ accountid: id, name: 'Contoso', accountnumber: 'A-1', telephone1: null, '@odata.etag': expect.stringMatching(/^W\/"\d+"$/) });
    expect(byId.get('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(byId.get('not-a-guid')).toBeNull();
    expect((await dest.read('accounts', 'accountnumber', ['a-1'])).get('a-1')).toMatchObject({ accountid: id });
    // A GUID is the same row in any case: Dataverse answers it in lower case.
    expect((await dest.read('accounts', 'accountid', [id.toUpperCase()])).get(id.toUpperCase())).toMatchObject({ accountid: id });
    expect(await failureOf(dest.read('accounts', 'name', ['x']))).toMatchObject({ kind: 'permanent', fields: [{ field: 'naturalKey' }] });
  });

  it('writes a chunk as one $batch changeset: creates, If-Match updates and alternate-key upserts', async () => {
    const [existing] = await seed('accounts', [{ name: 'Old', accountnumber: 'U-0' }]);
    const created = await dest.write('accounts', 'create', 'accountnumber', accounts(3, 'C'));
    expect(created.map((r) => r.outcome)).toEqual(['created', 'created', 'created']);
    expect(created.every((r) => /^[0-9a-f-]{36}$/.test(r.id ?? ''))).toBe(true);
    const upserted = await dest.write('accounts', 'upsert', 'accountnumber', [{ accountnumber: 'U-0', name: 'Renamed' }, { accountnumber: 'U-1', name: 'New' }]);
    expect(upserted).toEqual([
      { index: 0, key: 'U-0', id: existing.accountid, outcome: 'updated' },
      { index: 1, key: 'U-1', id: expect.stringMatching(/^[0-9a-f-]{36}$/), outcome: 'created' },
    ]);
    const updated = await dest.write('accounts', 'update', 'accountid', [{ accountid: existing.accountid, telephone1: '555' }, { accountid: '00000000-0000-4000-8000-000000000000', name: 'x' }]);
    expect(updated[0]).toMatchObject({ outcome: 'updated', id: existing.accountid });
    expect(updated[1]).toMatchObject({ outcome: 'failed', errors: [{ field: 'accountid', message: expect.stringMatching(/no accounts row/) }] });
    expect(await apiRequests()).toEqual(['POST $batch 200', 'GET accounts 200', 'POST $batch 200', 'GET accounts 200', 'POST $batch 200']);
    expect((await dest.read('accounts', 'accountid', [String(existing.accountid)])).get(String(existing.accountid))).toMatchObject({ name: 'Renamed', telephone1: '555' });
  });

  it('when one row of a changeset is refused nothing is written; the rows are sent again one by one and only the refused ones fail, by attribute', async () => {
    const records = accounts(10, 'V');
    records[2].name = 'x'.repeat(161);
    records[6].shoesize = 9;
    const results = await dest.write('accounts', 'create', 'accountnumber', records);
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created', 'failed', 'created', 'created', 'created', 'failed', 'created', 'created', 'created']);
    expect(results[2].errors).toEqual([{ field: 'name', message: "0x80044331: A validation error occurred. The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'." }]);
    expect(results[6].errors?.map((e) => e.field)).toEqual(['shoesize']);
    expect(await apiRequests()).toEqual(['POST $batch 400', 'POST $batch 200']);
    expect(await state('accounts')).toHaveLength(8);
    const dup = await dest.write('accounts', 'create', 'accountnumber', [{ accountnumber: 'V-0', name: 'again' }]);
    expect(dup[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'accountnumber', message: expect.stringMatching(/0x80040237/) }] });
  });

  it('an ETag that moved on between the read and the write (412) is re-read and the update retried (kit version tokens)', async () => {
    const [row] = await seed('accounts', [{ name: 'Race', accountnumber: 'R-1' }]);
    await admin('POST', 'faults', { faults: [{ method: 'POST', path: `${API}/$batch`, latencyMs: 400, times: 1 }] });
    const before = (await requests()).length;
    const writing = dest.write('accounts', 'update', 'accountnumber', [{ accountnumber: 'R-1', telephone1: 'ours' }]);
    // Their PATCH lands once our read has answered, while our changeset is held by the fault's latency.
    await waitFor('the load to read the row', async () => (await requests()).slice(before).some((r) => r.method === 'GET' && r.path.startsWith(`${API}/accounts`)) || undefined, 10_000, 20);
    expect((await direct('PATCH', `accounts(${String(row.accountid)})`, { description: 'theirs' }, { 'if-match': '*' })).status).toBe(204);
    expect(await writing).toEqual([{ index: 0, key: 'R-1', id: row.accountid, outcome: 'updated' }]);
    const after = (await dest.read('accounts', 'accountnumber', ['R-1'])).get('R-1');
    expect(after).toMatchObject({ telephone1: 'ours', description: 'theirs' });
    // read, their PATCH, our changeset refused (412), our row alone (412 again), re-read, our PATCH with the fresh ETag.
    expect(await apiRequests()).toEqual(['GET accounts 200', `PATCH accounts(${String(row.accountid)}) 204`, 'POST $batch 400', 'POST $batch 200', 'GET accounts 200', `PATCH accounts(${String(row.accountid)}) 204`, 'GET accounts 200']);
  });

  it('deletes one request per row (DELETE, never the batch endpoint), confirmed by a read; a delete that answers 204 but keeps the row fails', async () => {
    await seed('accounts', accounts(3, 'D'));
    expect((await dest.delete('accounts', 'accountnumber', ['D-0', 'D-1', 'gone'])).map((r) => r.outcome)).toEqual(['deleted', 'deleted', 'deleted']);
    expect((await state('accounts')).map((a) => a.accountnumber)).toEqual(['D-2']);
    expect((await apiRequests()).filter((r) => r.startsWith('DELETE'))).toHaveLength(2);
    await admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const kept = await dest.delete('accounts', 'accountnumber', ['D-2']);
    expect(kept[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'accountnumber', message: expect.stringMatching(/still there/) }] });
  });

  it('restores a deleted row with its original GUID (retried: still one row)', async () => {
    const [row] = await seed('contacts', [{ firstname: 'Ada', lastname: 'Lovelace', emailaddress1: 'ada@example.com', jobtitle: 'Analyst' }]);
    const before = (await dest.read('contacts', 'emailaddress1', ['ada@example.com'])).get('ada@example.com')!;
    await dest.delete('contacts', 'emailaddress1', ['ada@example.com']);
    const restored = await dest.restore('contacts', 'emailaddress1', before);
    expect(restored).toEqual({ id: row.contactid, recreated: false });
    expect((await dest.read('contacts', 'contactid', [String(row.contactid)])).get(String(row.contactid))).toMatchObject({ firstname: 'Ada', lastname: 'Lovelace', jobtitle: 'Analyst' });
    expect(await dest.restore('contacts', 'emailaddress1', before)).toEqual({ id: row.contactid, recreated: false });
    expect(await state('contacts')).toHaveLength(1);
  });

  it('a service protection 429 is transient and carries its Retry-After', async () => {
    await admin('POST', 'faults', { faults: [{ status: 429, retryAfter: 7, path: `${API}/*`, body: { error: { code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' } } }] });
    expect(await failureOf(dest.write('accounts', 'create', 'accountnumber', accounts(1, 'T')))).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 7000, code: '0x80072322' });
  });

  it('captures by change tracking: a full first read in pages, then changes and $deletedEntity tombstones, each once', async () => {
    await seed('accounts', accounts(5, 'CT'));
    const source = dynamicsSource(new DataverseApi(ctx.http, '/api/data/v9.2'), { maxChangesPerPoll: 2 });
    const drain = async (cursor: unknown) => {
      const all: Array<{ op: string; key: unknown; version: string }> = [];
      let at = cursor;
      for (let i = 0; i < 20; i++) {
        const page = await source.capture('accounts', at);
        all.push(...page.changes.map((c) => ({ op: c.op, key: c.op === 'delete' ? c.recordId : (c.data as Rec).accountnumber, version: c.version })));
        at = page.cursor;
        if (!page.hasMore) break;
      }
      return { all, cursor: at };
    };
    const first = await drain(null);
    expect(first.all.map((c) => `${c.op} ${String(c.key)}`)).toEqual(['upsert CT-0', 'upsert CT-1', 'upsert CT-2', 'upsert CT-3', 'upsert CT-4']);
    expect((first.cursor as { link: string }).link).toContain('$deltatoken=');
    await dest.write('accounts', 'update', 'accountnumber', [{ accountnumber: 'CT-3', telephone1: '1' }]);
    const [gone] = (await dest.delete('accounts', 'accountnumber', ['CT-1']));
    const second = await drain(first.cursor);
    expect(second.all.map((c) => `${c.op} ${String(c.key)}`)).toEqual(['upsert CT-3', `delete ${gone.id}`]);
    expect(second.all[1].version).toMatch(/^deleted-after-\d+!/);
    expect(Number(second.all[0].version)).toBeGreaterThan(Number(first.all[3].version));
    expect((await drain(second.cursor)).all).toEqual([]);
    expect(await failureOf(source.capture('accounts', { at: 1 }))).toMatchObject({ kind: 'permanent' });
  });
});

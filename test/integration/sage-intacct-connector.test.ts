import type { ConnectorContext, DestinationContract, Rec } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { IntacctApi } from '../../src/connectors/sage-intacct/api';
import { intacctCredentials } from '../../src/connectors/sage-intacct/auth';
import { IntacctGateway } from '../../src/connectors/sage-intacct/gateway';
import { sageIntacctSource } from '../../src/connectors/sage-intacct/source';
import { startSageIntacctSandbox } from '../../sandboxes/sage-intacct';
import type { RunningSandbox } from '../../sandboxes/kit';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox, sandboxAdmin } from '../helpers/sandbox-connection';

// The Sage Intacct connector against its sandbox through the registered definition (session
// plug-in, XML gateway, config parsing), one test per quirk of issue 17. The sandbox keeps every
// exchange, so tests count logins and functions in the XML that travelled.

describe('Sage Intacct connector against the sandbox', () => {
  const def = findConnector('sage-intacct')!;
  let sandbox: RunningSandbox;
  let ctx: ConnectorContext;
  let dest: DestinationContract;
  let baseline = 0;

  const admin = sandboxAdmin(() => sandbox.url);
  const state = async (object: string): Promise<Rec[]> => (await admin('GET', 'state')).objects[object];
  const seed = async (object: string, records: Rec[]): Promise<void> => { await admin('POST', 'seed', { objects: { [object]: records } }); };
  const recent = () => sandbox.exchanges().slice(baseline);
  const bodies = (): string[] => recent().map((e) => e.rawBody);
  const logins = (): number => bodies().filter((b) => b.includes('<getAPISession')).length;
  const customers = (n: number, from = 0): Rec[] => Array.from({ length: n }, (_, i) => ({ CUSTOMERID: `C-${from + i}`, NAME: `Customer ${from + i}`, CREDITLIMIT: 100 + i }));
  const apiOf = (pageSize?: number) => new IntacctApi(new IntacctGateway(ctx.http, intacctCredentials(ctx.credentials)), pageSize);

  beforeAll(async () => { sandbox = await startSageIntacctSandbox({ recordExchanges: true }); });
  afterAll(async () => { await sandbox.stop(); });
  beforeEach(async () => {
    await admin('POST', 'reset');
    baseline = sandbox.exchanges().length;
    ctx = await connectToSandbox(def, sandbox.url);
    dest = def.destination(ctx);
  });

  it('is registered with session credentials, the XML gateway as default endpoint and CUSTOMER + VENDOR as data', () => {
    expect(def.auth.scheme).toBe('session');
    expect(def.objects.map((o) => o.name)).toEqual(['CUSTOMER', 'VENDOR']);
    for (const spec of def.objects) expect(spec).toMatchObject({ naturalKeys: ['RECORDNO', `${spec.name}ID`], cursor: 'timestamp', batchSize: 50 });
    expect(def.config.parse({})).toEqual({ endpoint: 'https://api.intacct.com/ia/xml/xmlgw.phtml' });
  });

  it('sends several create functions in one request; a refused function fails its record naming the field, the others are created', async () => {
    const results = await dest.write('CUSTOMER', 'create', 'CUSTOMERID', [...customers(2), { CUSTOMERID: 'C-bad', NAME: 'Bad', CREDITLIMIT: 'lots' }, ...customers(1, 5)]);
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created', 'failed', 'created']);
    expect(results[2].errors?.map((e) => e.field)).toEqual(['CREDITLIMIT']);
    expect(results[2].errors?.[0].message).toMatch(/Credit limit 'lots' is not a valid number/);
    const creates = recent().filter((e) => e.rawBody.includes('<create>'));
    expect(creates).toHaveLength(1);
    expect(creates[0].rawBody.match(/<function /g)).toHaveLength(4);
    expect((await state('CUSTOMER')).map((r) => r.CUSTOMERID).sort()).toEqual(['C-0', 'C-1', 'C-5']);
  });

  it('reads by RECORDNO (read) and by CUSTOMERID (readByName): typed values, empty elements as null, absent keys as null', async () => {
    await seed('CUSTOMER', [{ RECORDNO: '41', CUSTOMERID: 'C-41', NAME: 'Acme', CREDITLIMIT: '2500.5', ONHOLD: 'true' }]);
    const byId = await dest.read('CUSTOMER', 'RECORDNO', ['41', '999']);
    expect(byId.get('41')).toMatchObject({ RECORDNO: '41', CUSTOMERID: 'C-41', NAME: 'Acme', CREDITLIMIT: 2500.5, ONHOLD: true, COMMENTS: null, STATUS: 'active' });
    expect(byId.get('999')).toBeNull();
    const byName = await dest.read('CUSTOMER', 'CUSTOMERID', ['C-41', 'C-404']);
    expect(byName.get('C-41')?.RECORDNO).toBe('41');
    expect(byName.get('C-404')).toBeNull();
    expect(bodies().some((b) => b.includes('<readByName>'))).toBe(true);
  });

  it('logs in once with getAPISession and reuses the session; an expired session logs in once more and the call goes through', async () => {
    await dest.write('CUSTOMER', 'create', 'CUSTOMERID', customers(1));
    await dest.read('CUSTOMER', 'CUSTOMERID', ['C-0']);
    expect(logins()).toBe(1);
    await admin('POST', 'faults', { faults: [{ kind: 'expire-token' }] });
    const read = await dest.read('CUSTOMER', 'CUSTOMERID', ['C-0']);
    expect(read.get('C-0')?.NAME).toBe('Customer 0');
    expect(logins()).toBe(2);
    const refused = recent().filter((e) => String(e.responseBody).includes('Sign-in information is incorrect'));
    expect(refused).toHaveLength(1);
  });

  it('a wrong user password is permanent: one login request, never retried', async () => {
    await ctx.saveCredentials({ ...(await ctx.credentials()), userPassword: 'wrong' });
    const err = await failureOf(dest.read('CUSTOMER', 'CUSTOMERID', ['C-0']));
    expect(err).toMatchObject({ kind: 'permanent', code: 'XL03000006' });
    expect(err.message).toMatch(/authentication failed: the company login was refused/);
    expect(recent()).toHaveLength(1);
  });

  it('a wrong sender password is permanent: the <control> failure, one request', async () => {
    await ctx.saveCredentials({ ...(await ctx.credentials()), senderPassword: 'wrong' });
    const err = await failureOf(dest.read('CUSTOMER', 'CUSTOMERID', ['C-0']));
    expect(err).toMatchObject({ kind: 'permanent', code: 'XL03000006' });
    expect(err.message).toMatch(/Partner ID or password/);
    expect(recent()).toHaveLength(1);
  });

  it('pages a readByQuery with readMore on its resultId until numremaining is 0', async () => {
    await seed('CUSTOMER', customers(5));
    const rows = await apiOf(2).query('CUSTOMER', "NAME LIKE 'Customer %'", ['RECORDNO', 'CUSTOMERID']);
    expect(rows.map((r) => r.CUSTOMERID).sort()).toEqual(['C-0', 'C-1', 'C-2', 'C-3', 'C-4']);
    const queries = bodies().filter((b) => b.includes('<readByQuery>') || b.includes('<readMore>'));
    expect(queries.map((b) => (b.includes('<readMore>') ? 'more' : 'query'))).toEqual(['query', 'more', 'more']);
  });

  it('captures creates and updates on WHENMODIFIED and deletes from the audit trail, resuming without repeats', async () => {
    const source = sageIntacctSource(apiOf(2), { now: () => Date.now() + 3_000 });
    const created = await dest.write('CUSTOMER', 'create', 'CUSTOMERID', customers(3));
    const first = await source.capture('CUSTOMER', null);
    expect(first.changes.map((c) => [c.op, c.recordId])).toEqual(created.map((r) => ['upsert', r.id]));
    expect(first.changes[0].data).toMatchObject({ CUSTOMERID: 'C-0', CREDITLIMIT: 100 });
    await dest.delete('CUSTOMER', 'CUSTOMERID', ['C-1']);
    await new Promise((r) => setTimeout(r, 1100)); // the next whole second: stamps are whole seconds
    await dest.write('CUSTOMER', 'update', 'CUSTOMERID', [{ CUSTOMERID: 'C-2', COMMENTS: 'changed' }]);
    const second = await sageIntacctSource(apiOf(2), { now: () => Date.now() + 3_000 }).capture('CUSTOMER', first.cursor);
    expect(second.changes.map((c) => [c.op, c.recordId])).toEqual([['delete', created[1].id], ['upsert', created[2].id]]);
    expect(second.changes[1].data?.COMMENTS).toBe('changed');
    const third = await source.capture('CUSTOMER', second.cursor);
    expect(third.changes).toEqual([]);
  });

  it('a rolled-back delete re-creates the customer with its CUSTOMERID and a new RECORDNO (Intacct has no undelete)', async () => {
    await seed('CUSTOMER', [{ RECORDNO: '7', CUSTOMERID: 'C-7', NAME: 'Seven', CREDITLIMIT: '70' }]);
    const before = (await dest.read('CUSTOMER', 'CUSTOMERID', ['C-7'])).get('C-7')!;
    expect((await dest.delete('CUSTOMER', 'CUSTOMERID', ['C-7']))[0].outcome).toBe('deleted');
    const restored = await dest.restore('CUSTOMER', 'CUSTOMERID', before);
    expect(restored.recreated).toBe(true);
    expect(restored.id).not.toBe('7');
    expect((await dest.read('CUSTOMER', 'CUSTOMERID', ['C-7'])).get('C-7')).toMatchObject({ RECORDNO: restored.id, NAME: 'Seven', CREDITLIMIT: 70 });
    expect(await dest.restore('CUSTOMER', 'CUSTOMERID', before)).toEqual({ id: restored.id, recreated: true });
  });
});

describe('Sage Intacct sandbox: performance-tier concurrency', () => {
  it('refuses a request beyond the tier\'s concurrent requests with GW-0010 and HTTP 429 + Retry-After, which the connector reads as a wait', async () => {
    const sandbox = await startSageIntacctSandbox({ concurrentRequests: 2, processingMs: 400 });
    try {
      const def = findConnector('sage-intacct')!;
      const ctx = await connectToSandbox(def, sandbox.url);
      const dest = def.destination(ctx);
      await dest.read('CUSTOMER', 'CUSTOMERID', ['warm-up']); // the login, outside the limit
      const outcomes = await Promise.allSettled([0, 1, 2].map((i) => dest.read('CUSTOMER', 'CUSTOMERID', [`C-${i}`])));
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect(refused[0].reason).toMatchObject({ kind: 'transient', status: 429, code: 'GW-0010', retryAfterMs: 1000 });
    } finally {
      await sandbox.stop();
    }
  });

  it('answers XML that does not parse with a <control> failure XL03000003, and the connector never sends such XML', async () => {
    const sandbox = await startSageIntacctSandbox();
    try {
      const res = await fetch(`${sandbox.url}/ia/xml/xmlgw.phtml`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<request><control></request>' });
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).toMatch(/<status>failure<\/status>[\s\S]*<errorno>XL03000003<\/errorno>/);
    } finally {
      await sandbox.stop();
    }
  });
});

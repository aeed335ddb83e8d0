import { netsuiteSandbox, startNetSuiteSandbox } from '../../sandboxes/netsuite';
import type { RunningSandbox } from '../../sandboxes/kit';
import { oauth1Auth } from '../../src/platform/auth';
import { createHttpClient, type HttpClient, type HttpResponse } from '../../src/platform/http';
import { sandboxAdmin } from '../helpers/sandbox-connection';

// The NetSuite sandbox over real HTTP: Token-Based Authentication checked against RFC 5849, the
// REST record service, SuiteQL with its paging caps and time zone, async jobs, the concurrency
// governance limit, and NetSuite's error bodies.

type Body = Record<string, any>;

describe('NetSuite sandbox', () => {
  let sandbox: RunningSandbox;
  let credentials: Record<string, string>;
  let http: HttpClient;

  const admin = sandboxAdmin(() => sandbox.url);
  /** A signed request through the platform's OAuth 1.0a plug-in; statuses are answered, never thrown. */
  const call = (method: string, path: string, options: { json?: unknown; headers?: Record<string, string>; query?: Record<string, string> } = {}) =>
    http.request<Body>({ method, path, ...options, expect: [200, 202, 204, 400, 401, 404, 429] });
  const suiteql = (q: string, query: Record<string, string> = {}, headers: Record<string, string> = { prefer: 'transient' }) =>
    call('POST', '/services/rest/query/v1/suiteql', { json: { q }, headers, query });
  const idFrom = (res: HttpResponse<unknown>) => /\/(\d+)$/.exec(res.headers.location ?? '')?.[1] ?? '';

  beforeAll(async () => {
    sandbox = await startNetSuiteSandbox({ timeZone: 'America/Los_Angeles' });
    const answer = await admin('GET', 'credentials');
    credentials = answer.credentials;
    expect(Object.keys(credentials).sort()).toEqual(['accountId', 'consumerKey', 'consumerSecret', 'tokenId', 'tokenSecret']);
    expect(answer.config).toEqual({ baseUrl: sandbox.url, timeZone: 'America/Los_Angeles' });
    http = createHttpClient({ system: 'netsuite', baseUrl: sandbox.url, auth: oauth1Auth({ system: 'netsuite', credentials: async () => credentials }) });
  });
  afterAll(async () => { await sandbox.stop(); });
  beforeEach(async () => { await admin('POST', 'reset'); });

  describe('Token-Based Authentication (RFC 5849, HMAC-SHA256, realm = account id)', () => {
    it('accepts requests the platform signs (query parameters included) and refuses each tampered part with 401 INVALID_LOGIN', async () => {
      expect((await suiteql('SELECT id FROM customer', { limit: '5' })).status).toBe(200);
      const signed = await signedHeader(sandbox.url, credentials);
      const send = (authorization: string | undefined, path = '/services/rest/record/v1/customer?limit=5') =>
        fetch(`${sandbox.url}${path}`, { headers: authorization ? { authorization } : {} }).then(async (r) => ({ status: r.status, body: await r.json() as Body }));
      const first = await send(signed);
      expect(first.status).toBe(200);
      const replayed = await send(signed);
      expect(replayed.status).toBe(401); // the nonce was used
      expect(replayed.body['o:errorDetails'][0]['o:errorCode']).toBe('INVALID_LOGIN');
      const fresh = await signedHeader(sandbox.url, credentials);
      expect((await send(fresh, '/services/rest/record/v1/customer?limit=6')).status).toBe(401); // query changed after signing
      expect((await send(fresh.replace(/oauth_signature="[^"]+"/, 'oauth_signature="AAAA"'))).status).toBe(401);
      expect((await send(fresh.replace(/realm="[^"]+"/, 'realm="7654321"'))).status).toBe(401);
      expect((await send(fresh.replace('HMAC-SHA256', 'HMAC-SHA1'))).status).toBe(401);
      expect((await send(undefined)).status).toBe(401);
      const wrongSecret = createHttpClient({ system: 'netsuite', baseUrl: sandbox.url, auth: oauth1Auth({ system: 'netsuite', credentials: async () => ({ ...credentials, tokenSecret: 'not-it' }) }) });
      const refused = await wrongSecret.request<Body>({ method: 'GET', path: '/services/rest/record/v1/customer', expect: [401] });
      expect(refused.body).toMatchObject({ status: 401, title: 'Unauthorized', 'o:errorDetails': [{ 'o:errorCode': 'INVALID_LOGIN' }] });
      expect((await send(fresh)).status).toBe(200); // untouched, it still works once
    });

    it('refuses a timestamp more than five minutes from the account clock', async () => {
      await admin('POST', 'clock', { at: new Date(Date.now() + 10 * 60_000).toISOString() });
      const res = await call('GET', '/services/rest/record/v1/customer');
      expect(res.status).toBe(401);
    });
  });

  describe('record service v1', () => {
    it('creates with 204 and the new id in Location, reads, updates, upserts by eid: and deletes', async () => {
      const created = await call('POST', '/services/rest/record/v1/customer', { json: { companyName: 'Acme', email: 'ap@acme.example', externalId: 'C-1', subsidiary: { id: '1' } } });
      expect(created.status).toBe(204);
      expect(created.headers.location).toMatch(new RegExp(`^${sandbox.url}/services/rest/record/v1/customer/\\d+$`));
      const id = idFrom(created);
      const read = await call('GET', `/services/rest/record/v1/customer/${id}`);
      expect(read.body).toMatchObject({ id, companyName: 'Acme', externalId: 'C-1', entityId: `CUST${id}`, subsidiary: { id: '1', refName: 'Parent Company' } });
      expect(read.body.lastModifiedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(read.body.phone).toBeUndefined(); // empty fields are left out
      expect((await call('GET', '/services/rest/record/v1/customer/eid:C-1')).body.id).toBe(id);

      expect((await call('PATCH', `/services/rest/record/v1/customer/${id}`, { json: { phone: '555-0100', email: null } })).status).toBe(204);
      expect((await call('GET', `/services/rest/record/v1/customer/${id}`)).body).toMatchObject({ phone: '555-0100', companyName: 'Acme' });
      expect((await call('GET', `/services/rest/record/v1/customer/${id}`)).body.email).toBeUndefined();

      const upserted = await call('PUT', '/services/rest/record/v1/customer/eid:C-1', { json: { companyName: 'Acme Corp' } });
      expect(upserted.status).toBe(204);
      expect(idFrom(upserted)).toBe(id);
      const inserted = await call('PUT', '/services/rest/record/v1/customer/eid:C-2', { json: { companyName: 'Beta' } });
      expect(inserted.status).toBe(204);
      expect((await call('GET', `/services/rest/record/v1/customer/${idFrom(inserted)}`)).body).toMatchObject({ externalId: 'C-2', companyName: 'Beta' });
      expect((await call('PUT', `/services/rest/record/v1/customer/${id}`, { json: { companyName: 'x' } })).body['o:errorDetails'][0]['o:errorCode']).toBe('INVALID_ID');

      expect((await call('DELETE', `/services/rest/record/v1/customer/${id}`)).status).toBe(204);
      const gone = await call('GET', `/services/rest/record/v1/customer/${id}`);
      expect(gone.status).toBe(404);
      expect(gone.body['o:errorDetails'][0]).toMatchObject({ 'o:errorCode': 'NONEXISTENT_ID' });
      expect((await call('DELETE', `/services/rest/record/v1/customer/${id}`)).status).toBe(404);
      const log = await suiteql(`SELECT recordid, type, name FROM deletedrecord WHERE type = 'customer'`);
      expect(log.body.items).toEqual([{ links: [], recordid: id, type: 'customer', name: `CUST${id}` }]);
    });

    it('names the refused field in o:errorPath', async () => {
      const missing = await call('POST', '/services/rest/record/v1/customer', { json: { email: 'a@b.example' } });
      expect(missing.status).toBe(400);
      expect(missing.body['o:errorDetails']).toEqual([{ detail: 'Error while accessing a resource. Please enter value(s) for: Company Name.', 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'companyName' }]);
      const badEmail = await call('POST', '/services/rest/record/v1/customer', { json: { companyName: 'x', email: 'nope' } });
      expect(badEmail.body['o:errorDetails'][0]).toMatchObject({ 'o:errorPath': 'email' });
      const unknown = await call('POST', '/services/rest/record/v1/customer', { json: { companyName: 'x', shoeSize: 9 } });
      expect(unknown.body['o:errorDetails'][0]).toMatchObject({ 'o:errorPath': 'shoeSize', 'o:errorCode': 'INVALID_CONTENT' });
      const orphan = await call('POST', '/services/rest/record/v1/salesOrder', { json: { entity: { id: '999' }, item: { items: [{ item: { id: '7' }, quantity: 1, rate: 5 }] } } });
      expect(orphan.body['o:errorDetails'][0]).toMatchObject({ 'o:errorPath': 'entity' });
      await call('POST', '/services/rest/record/v1/customer', { json: { companyName: 'x', externalId: 'dup' } });
      const dup = await call('POST', '/services/rest/record/v1/customer', { json: { companyName: 'y', externalId: 'dup' } });
      expect(dup.body['o:errorDetails'][0]).toMatchObject({ 'o:errorPath': 'externalId', 'o:errorCode': 'DUP_RCRD' });
    });

    it('adds sublist lines on PATCH unless ?replace=item, and expands them with expandSubResources', async () => {
      const customer = idFrom(await call('POST', '/services/rest/record/v1/customer', { json: { companyName: 'Acme' } }));
      const order = idFrom(await call('POST', '/services/rest/record/v1/salesOrder', { json: { entity: { id: customer }, tranDate: '2024-03-01', item: { items: [{ item: { id: '7' }, quantity: 2, rate: 10 }] } } }));
      await call('PATCH', `/services/rest/record/v1/salesOrder/${order}`, { json: { item: { items: [{ item: { id: '8' }, quantity: 1, rate: 5 }] } } });
      const merged = await call('GET', `/services/rest/record/v1/salesOrder/${order}`, { query: { expandSubResources: 'true' } });
      expect(merged.body.item.items.map((l: Body) => l.item.id)).toEqual(['7', '8']);
      expect(merged.body).toMatchObject({ total: 25, tranId: `SO${order}`, entity: { id: customer } });
      await call('PATCH', `/services/rest/record/v1/salesOrder/${order}`, { json: { item: { items: [{ item: { id: '9' }, quantity: 3, rate: 1 }] } }, query: { replace: 'item' } });
      const replaced = await call('GET', `/services/rest/record/v1/salesOrder/${order}`, { query: { expandSubResources: 'true' } });
      expect(replaced.body.item.items).toEqual([expect.objectContaining({ line: 1, item: expect.objectContaining({ id: '9' }), quantity: 3, rate: 1, amount: 3 })]);
      expect((await call('GET', `/services/rest/record/v1/salesOrder/${order}`)).body.item).toEqual({ links: [expect.objectContaining({ rel: 'self' })] });
    });
  });

  describe('SuiteQL', () => {
    it('needs Prefer: transient and keeps limit and offset within their caps', async () => {
      expect((await suiteql('SELECT id FROM customer', {}, {})).body['o:errorDetails'][0]).toMatchObject({ 'o:errorHeader': 'Prefer' });
      expect((await suiteql('SELECT id FROM customer', { limit: '1001' })).body['o:errorDetails'][0]).toMatchObject({ 'o:errorQueryParam': 'limit' });
      expect((await suiteql('SELECT id FROM customer', { limit: '10', offset: '15' })).body['o:errorDetails'][0]).toMatchObject({ 'o:errorQueryParam': 'offset' });
      expect((await suiteql('SELECT id FROM customer', { limit: '1000', offset: '100000' })).status).toBe(400);
      const bad = await suiteql('SELECT id FROM customer GROUP BY id');
      expect(bad.body['o:errorDetails'][0]).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER' });
      expect((await suiteql('SELECT shoesize FROM customer WHERE shoesize = 1')).status).toBe(400);
    });

    it('pages with hasMore and links, shows lower-case columns, T/F booleans, no empty columns, dates in the user time zone', async () => {
      await admin('POST', 'seed', { objects: { customer: Array.from({ length: 5 }, (_, i) => ({ id: String(100 + i), companyName: `Co ${i}`, isPerson: false, lastModifiedDate: '2024-07-01T03:30:00.000Z' })) } });
      const first = await suiteql(`SELECT id, companyname, isperson, phone, lastmodifieddate, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS modified FROM customer ORDER BY id DESC`, { limit: '2' });
      expect(first.body).toMatchObject({ count: 2, hasMore: true, offset: 0, totalResults: 5 });
      expect(first.body.links.map((l: Body) => l.rel)).toEqual(['self', 'first', 'next', 'last']);
      // 03:30 UTC on 1 July is 20:30 on 30 June in Los Angeles (PDT, UTC-7).
      expect(first.body.items[0]).toEqual({ links: [], id: '104', companyname: 'Co 4', isperson: 'F', lastmodifieddate: '6/30/2024', modified: '2024-06-30 20:30:00' });
      const last = await suiteql('SELECT id FROM customer ORDER BY id DESC', { limit: '2', offset: '4' });
      expect(last.body).toMatchObject({ count: 1, hasMore: false, items: [{ id: '100' }] });
      const window = await suiteql(`SELECT id FROM customer WHERE (lastmodifieddate > TO_DATE('2024-06-30 20:29:59', 'YYYY-MM-DD HH24:MI:SS') AND id IN (101, 103)) OR companyname = 'Co 0' ORDER BY id`);
      expect(window.body.items.map((r: Body) => r.id)).toEqual(['100', '101', '103']);
    });
  });

  describe('async requests (Prefer: respond-async)', () => {
    it('answers 202 with a job to poll; the task result is what the synchronous request would have answered', async () => {
      const submitted = await call('POST', '/services/rest/record/v1/customer', { json: { companyName: 'Later' }, headers: { prefer: 'respond-async', 'x-netsuite-idempotency-key': 'k-1' } });
      expect(submitted.status).toBe(202);
      expect(submitted.headers).toMatchObject({ location: expect.stringMatching(/^\/services\/rest\/async\/v1\/job\/\d+$/), 'preference-applied': 'respond-async' });
      const again = await call('POST', '/services/rest/record/v1/customer', { json: { companyName: 'Later' }, headers: { prefer: 'respond-async', 'x-netsuite-idempotency-key': 'k-1' } });
      expect(again.headers.location).toBe(submitted.headers.location);
      await admin('POST', 'clock', { frozen: true });
      expect((await call('GET', submitted.headers.location)).body).toMatchObject({ completed: false, progress: 'pending' });
      await admin('POST', 'clock', { advanceMs: 500 });
      expect((await call('GET', submitted.headers.location)).body).toMatchObject({ completed: true, progress: 'succeeded' });
      const tasks = await call('GET', `${submitted.headers.location}/task`);
      const taskUrl = tasks.body.items[0].links[0].href as string;
      expect((await call('GET', taskUrl)).body).toMatchObject({ completed: true, progress: 'succeeded' });
      const result = await call('GET', `${taskUrl}/result`);
      expect(result.status).toBe(204);
      const state = await admin('GET', 'state');
      expect(state.objects.customer).toHaveLength(1);
      expect(result.headers.location).toMatch(new RegExp(`/customer/${state.objects.customer[0].id}$`));

      const failing = await call('POST', '/services/rest/record/v1/customer', { json: { email: 'x@y.example' }, headers: { prefer: 'respond-async' } });
      await admin('POST', 'clock', { advanceMs: 500 });
      expect((await call('GET', failing.headers.location)).body.progress).toBe('failed');
      const refused = await call('GET', `${failing.headers.location}/task/1/result`);
      expect(refused.status).toBe(400);
      expect(refused.body['o:errorDetails'][0]['o:errorPath']).toBe('companyName');
    });
  });

  it('shows in its state only the fields its catalog names (customers, sales orders, the deletion log, async jobs)', async () => {
    const customer = idFrom(await call('POST', '/services/rest/record/v1/customer', { json: { externalId: 'c-1', companyName: 'Co', email: 'a@example.com', isPerson: false, subsidiary: { id: '1' } } }));
    await call('POST', '/services/rest/record/v1/salesOrder', { json: { externalId: 'so-1', entity: { id: customer }, tranDate: '2024-03-01', memo: 'm', item: { items: [{ item: { id: '7' }, quantity: 2, rate: 10 }] } } });
    await call('POST', '/services/rest/record/v1/customer', { json: { companyName: 'Later' }, headers: { prefer: 'respond-async', 'x-netsuite-idempotency-key': 'k-2' } });
    const gone = idFrom(await call('POST', '/services/rest/record/v1/customer', { json: { companyName: 'Gone' } }));
    expect((await call('DELETE', `/services/rest/record/v1/customer/${gone}`)).status).toBe(204);
    const state = (await admin('GET', 'state')).objects as Record<string, Body[]>;
    const catalog = netsuiteSandbox().catalog!;
    const unknown = Object.entries(state).flatMap(([object, records]) => records.flatMap((r) => Object.keys(r)
      .filter((k) => !catalog.find((c) => c.name === object)?.fields.some((f) => f.name === k)).map((k) => `${object}.${k}`)));
    expect(Object.values(state).map((records) => records.length)).not.toContain(0);
    expect(unknown).toEqual([]);
  });

  it('answers 429 when more requests run at once than the account allows', async () => {
    const limited = await startNetSuiteSandbox({ ...credentials, concurrencyLimit: 2, processingMs: 300 });
    try {
      const client = createHttpClient({ system: 'netsuite', baseUrl: limited.url, auth: oauth1Auth({ system: 'netsuite', credentials: async () => credentials }) });
      const answers = await Promise.all(Array.from({ length: 5 }, () => client.request<Body>({ method: 'GET', path: '/services/rest/record/v1/customer', expect: [200, 429] })));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 200, 429, 429, 429]);
      expect(answers.find((a) => a.status === 429)!.body['o:errorDetails'][0]['o:errorCode']).toBe('CONCURRENCY_LIMIT_EXCEEDED');
    } finally {
      await limited.stop();
    }
  });
});

/** The Authorization header the platform's plug-in signs for a GET of `path` (not sent). */
async function signedHeader(baseUrl: string, credentials: Record<string, string>, path = '/services/rest/record/v1/customer?limit=5'): Promise<string> {
  const req = { method: 'GET', url: new URL(`${baseUrl}${path}`), headers: {} as Record<string, string> };
  await oauth1Auth({ system: 'netsuite', credentials: async () => credentials }).apply(req);
  return req.headers.authorization;
}

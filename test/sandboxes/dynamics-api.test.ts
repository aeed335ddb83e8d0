import { dynamicsSandbox, startDynamicsSandbox } from '../../sandboxes/dynamics';
import type { RunningSandbox } from '../../sandboxes/kit';
import { sandboxAdmin } from '../helpers/sandbox-connection';

// The Dataverse sandbox over real HTTP: the Microsoft identity platform's client-credentials grant,
// Web API v9.2 rows with ETags, upsert by alternate key, $batch changesets (atomic), change
// tracking with delta links and $deletedEntity tombstones, service protection 429s.

const API = '/api/data/v9.2';
type Body = Record<string, any>;

describe('Dataverse sandbox', () => {
  let sandbox: RunningSandbox;
  let token: string;
  let credentials: { clientId: string; clientSecret: string };
  let tenantId: string;

  const admin = sandboxAdmin(() => sandbox.url);
  const tokenCall = async (fields: Record<string, string>, tenant = tenantId) => {
    const res = await fetch(`${sandbox.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    return { status: res.status, body: (await res.json()) as Body };
  };
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${sandbox.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: res.headers };
  }
  const guidFrom = (entityId: string | null) => /\(([0-9a-f-]{36})\)$/.exec(entityId ?? '')?.[1] ?? '';

  beforeAll(async () => {
    sandbox = await startDynamicsSandbox();
    const answer = await admin('GET', 'credentials');
    credentials = answer.credentials;
    tenantId = answer.config.tenantId;
    expect(answer.config).toEqual({ environmentUrl: sandbox.url, loginBaseUrl: sandbox.url, tenantId });
    const res = await tokenCall({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret, scope: `${sandbox.url}/.default` });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    token = res.body.access_token;
  });
  afterAll(async () => { await sandbox.stop(); });
  beforeEach(async () => { await admin('POST', 'reset'); });

  it('issues tokens for its tenant and the environment’s /.default scope only; the API wants a bearer token', async () => {
    const good = { grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret, scope: `${sandbox.url}/.default` };
    expect((await tokenCall(good, 'another-tenant')).body).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
    expect((await tokenCall({ ...good, scope: 'https://graph.microsoft.com/.default' })).body).toMatchObject({ error: 'invalid_scope', error_codes: [70011] });
    const badSecret = await tokenCall({ ...good, client_secret: 'nope' });
    expect(badSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const anonymous = await fetch(`${sandbox.url}${API}/accounts`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer authorization_uri=${sandbox.url}/${tenantId}/oauth2/authorize, resource_id=${sandbox.url}/`);
  });

  it('creates with 204 and OData-EntityId (201 and the row with return=representation), retrieves with $select and nulls', async () => {
    const created = await call('POST', `${API}/accounts`, { name: 'Contoso', accountnumber: 'A-1', revenue: 5000000 });
    expect(created.status).toBe(204);
    const id = guidFrom(created.headers.get('odata-entityid'));
    expect(created.headers.get('odata-entityid')).toBe(`${sandbox.url}${API}/accounts(${id})`);
    const read = await call('GET', `${API}/accounts(${id})?$select=name,accountnumber,telephone1`);
    expect(read.body).toEqual({
      '@odata.context': `${sandbox.url}${API}/$metadata#accounts(name,accountnumber,telephone1)/$entity`,
      '@odata.etag': expect.stringMatching(/^W\/"\d+"$/), name: 'Contoso', accountnumber: 'A-1', telephone1: null, accountid: id,
    });
    const represented = await call('POST', `${API}/contacts`, { lastname: 'Smith' }, { prefer: 'return=representation' });
    expect(represented.status).toBe(201);
    expect(represented.body).toMatchObject({ lastname: 'Smith', '@odata.etag': expect.any(String), contactid: expect.any(String) });
    const ownId = '00000000-0000-4000-8000-0000000000aa';
    expect((await call('POST', `${API}/accounts`, { accountid: ownId, name: 'Kept id' })).headers.get('odata-entityid')).toContain(`(${ownId})`);
    expect((await call('POST', `${API}/accounts`, { accountid: ownId, name: 'Again' })).body.error.code).toBe('0x80040237');
  });

  it('updates with If-Match ETags (412 when the row moved on), upserts by alternate key, and refuses what it must', async () => {
    const id = guidFrom((await call('POST', `${API}/accounts`, { name: 'Fabrikam', accountnumber: 'F-1' })).headers.get('odata-entityid'));
    const etag = (await call('GET', `${API}/accounts(${id})?$select=name`)).body['@odata.etag'];
    expect((await call('PATCH', `${API}/accounts(${id})`, { telephone1: '555' }, { 'if-match': etag })).status).toBe(204);
    const stale = await call('PATCH', `${API}/accounts(${id})`, { telephone1: '556' }, { 'if-match': etag });
    expect(stale).toMatchObject({ status: 412, body: { error: { code: '0x80060882' } } });
    expect((await call('PATCH', `${API}/accounts(00000000-0000-4000-8000-000000000000)`, { name: 'x' }, { 'if-match': '*' })).status).toBe(404);

    const upsertNew = await call('PATCH', `${API}/accounts(accountnumber='F-2')`, { name: 'Upserted' }, { prefer: 'return=representation' });
    expect(upsertNew.status).toBe(201);
    expect(upsertNew.body).toMatchObject({ name: 'Upserted', accountnumber: 'F-2' });
    const upsertOld = await call('PATCH', `${API}/accounts(accountnumber='f-1')`, { name: 'Fabrikam Ltd' }, { prefer: 'return=representation' });
    expect(upsertOld).toMatchObject({ status: 200, body: { accountid: id, name: 'Fabrikam Ltd' } }); // keys compare case-insensitively
    expect((await call('PATCH', `${API}/accounts(accountnumber='F-2')`, { name: 'x' }, { 'if-none-match': '*' })).status).toBe(412);
    expect((await call('PATCH', `${API}/accounts(name='x')`, { name: 'x' })).body.error.message).toMatch(/not defined as an alternate key/);
    const dup = await call('POST', `${API}/accounts`, { name: 'Dup', accountnumber: 'F-2' });
    expect(dup).toMatchObject({ status: 412, body: { error: { code: '0x80040237' } } });

    const long = await call('POST', `${API}/accounts`, { name: 'x'.repeat(161) });
    expect(long.body.error).toEqual({ code: '0x80044331', message: "A validation error occurred. The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'." });
    expect((await call('POST', `${API}/accounts`, { name: 'x', shoesize: 9 })).body.error.message).toMatch(/property 'shoesize' does not exist/);
    expect((await call('DELETE', `${API}/accounts(${id})`)).status).toBe(204);
    expect((await call('GET', `${API}/accounts(${id})`)).body.error.code).toBe('0x80040217');
  });

  it('filters and pages collections with odata.maxpagesize and @odata.nextLink', async () => {
    await admin('POST', 'seed', { objects: { accounts: Array.from({ length: 5 }, (_, i) => ({ name: `Co ${i}`, accountnumber: `N-${i}` })) } });
    const first = await call('GET', `${API}/accounts?$select=name&$filter=${encodeURIComponent("accountnumber eq 'N-1' or accountnumber eq 'N-3' or (name eq 'Co 4' and not (revenue ne null))")}`, undefined, { prefer: 'odata.maxpagesize=2' });
    expect(first.body.value.map((r: Body) => r.name)).toEqual(['Co 1', 'Co 3']);
    expect(first.body['@odata.nextLink']).toContain('$skiptoken=');
    const next = await call('GET', first.body['@odata.nextLink'].replace(sandbox.url, ''), undefined, { prefer: 'odata.maxpagesize=2' });
    expect(next.body.value.map((r: Body) => r.name)).toEqual(['Co 4']);
    expect(next.body['@odata.nextLink']).toBeUndefined();
    expect((await call('GET', `${API}/accounts?$filter=${encodeURIComponent("name like 'x'")}`)).status).toBe(400);
  });

  describe('$batch', () => {
    const part = (method: string, url: string, contentId: string, body?: unknown) => [
      'Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${contentId}`, '',
      `${method} ${url} HTTP/1.1`, 'Content-Type: application/json; type=entry', '', body === undefined ? '' : JSON.stringify(body),
    ].join('\r\n');
    const batchBody = (changeset: string[], loose: string[] = []) => [
      '--batch_1', 'Content-Type: multipart/mixed; boundary=changeset_1', '', ...changeset.map((p) => `--changeset_1\r\n${p}`), '--changeset_1--', '',
      ...loose.map((p) => `--batch_1\r\n${p}`), '--batch_1--', '',
    ].join('\r\n');
    const sendBatch = (body: string, prefer?: string) => call('POST', `${API}/$batch`, body, { 'content-type': 'multipart/mixed; boundary=batch_1', ...(prefer ? { prefer } : {}) });

    it('runs a changeset atomically: all its writes, or none and the one failure with its Content-ID', async () => {
      const ok = await sendBatch(batchBody([part('POST', `${API}/accounts`, '1', { name: 'A', accountnumber: 'B-1' }), part('POST', 'accounts', '2', { name: 'B' })]));
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
      expect(ok.body.match(/HTTP\/1\.1 204 No Content/g)).toHaveLength(2);
      expect(ok.body).toMatch(/Content-ID: 1[\s\S]*odata-entityid: [^\r\n]+accounts\([0-9a-f-]{36}\)[\s\S]*Content-ID: 2/);
      expect((await admin('GET', 'state')).objects.accounts).toHaveLength(2);

      const failing = await sendBatch(batchBody([
        part('POST', `${API}/accounts`, '1', { name: 'C' }), part('PATCH', `${API}/accounts(accountnumber='B-1')`, '2', { telephone1: '1' }),
        part('POST', `${API}/accounts`, '3', { name: 'x'.repeat(200) }), part('POST', `${API}/accounts`, '4', { name: 'D' }),
      ]));
      expect(failing.status).toBe(400);
      expect(failing.body).toMatch(/Content-ID: 3\r\n\r\nHTTP\/1\.1 400 Bad Request[\s\S]*0x80044331/);
      expect(failing.body).not.toMatch(/Content-ID: [124]/);
      const accounts = (await admin('GET', 'state')).objects.accounts as Body[];
      expect(accounts.map((a) => a.name).sort()).toEqual(['A', 'B']);
      expect(accounts.find((a) => a.accountnumber === 'B-1')!.telephone1).toBeUndefined();
    });

    it('continues past failures outside changesets with odata.continue-on-error, and refuses malformed changesets', async () => {
      const loose = [part('POST', `${API}/contacts`, '1', { lastname: 'A' }), part('POST', `${API}/contacts`, '2', { lastname: 'x'.repeat(60) }), part('POST', `${API}/contacts`, '3', { lastname: 'C' })];
      const body = ['--batch_1', ...loose.map((p, i) => `${i > 0 ? '--batch_1\r\n' : ''}${p}`), '--batch_1--', ''].join('\r\n');
      const continued = await sendBatch(body, 'odata.continue-on-error');
      expect(continued.status).toBe(200);
      expect(continued.body.match(/HTTP\/1\.1 (\d+)/g)).toEqual(['HTTP/1.1 204', 'HTTP/1.1 400', 'HTTP/1.1 204']);
      const stopped = await sendBatch(body);
      expect(stopped.status).toBe(400);
      expect(stopped.body.match(/HTTP\/1\.1 (\d+)/g)).toEqual(['HTTP/1.1 204', 'HTTP/1.1 400']);
      expect((await sendBatch(batchBody([part('GET', `${API}/accounts`, '1')]))).body.error.message).toMatch(/cannot contain a GET/);
      const withoutId = batchBody([part('POST', `${API}/accounts`, '1', { name: 'x' }).replace('Content-ID: 1\r\n', '')]);
      expect((await sendBatch(withoutId)).body.error.message).toMatch(/Content-ID header not present/);
      const tooMany = batchBody(Array.from({ length: 1001 }, (_, i) => part('POST', `${API}/accounts`, String(i + 1), { name: 'x' })));
      expect((await sendBatch(tooMany)).body.error.message).toMatch(/limit is 1000/);
    });
  });

  it('tracks changes: a full first read paged to a delta link, then changed rows and $deletedEntity tombstones', async () => {
    const seeded = (await admin('POST', 'seed', { objects: { accounts: Array.from({ length: 3 }, (_, i) => ({ name: `T${i}` })) } })).objects.accounts as Body[];
    const page1 = await call('GET', `${API}/accounts?$select=name`, undefined, { prefer: 'odata.track-changes, odata.maxpagesize=2' });
    expect(page1.headers.get('preference-applied')).toBe('odata.track-changes,odata.maxpagesize=2');
    expect(page1.body.value).toHaveLength(2);
    const page2 = await call('GET', page1.body['@odata.nextLink'].replace(sandbox.url, ''), undefined, { prefer: 'odata.track-changes, odata.maxpagesize=2' });
    expect(page2.body.value).toHaveLength(1);
    const deltaLink: string = page2.body['@odata.deltaLink'];
    expect(deltaLink).toMatch(/\$deltatoken=\d+%21\d\d%2F\d\d%2F\d{4}%20\d\d%3A\d\d%3A\d\d$/);

    await call('PATCH', `${API}/accounts(${seeded[0].accountid})`, { name: 'T0 changed' }, { 'if-match': '*' });
    await call('DELETE', `${API}/accounts(${seeded[1].accountid})`);
    await call('POST', `${API}/accounts`, { name: 'T3' });
    const delta = await call('GET', deltaLink.replace(sandbox.url, ''), undefined, { prefer: 'odata.track-changes' });
    expect(delta.body['@odata.context']).toBe(`${sandbox.url}${API}/$metadata#accounts(name)/$delta`);
    expect(delta.body.value).toEqual([
      { '@odata.etag': expect.any(String), name: 'T0 changed', accountid: seeded[0].accountid },
      { '@odata.context': `${sandbox.url}${API}/$metadata#accounts/$deletedEntity`, id: seeded[1].accountid, reason: 'deleted' },
      { '@odata.etag': expect.any(String), name: 'T3', accountid: expect.any(String) },
    ]);
    const quiet = await call('GET', delta.body['@odata.deltaLink'].replace(sandbox.url, ''), undefined, { prefer: 'odata.track-changes' });
    expect(quiet.body.value).toEqual([]);
    expect((await call('GET', `${API}/accounts?$filter=${encodeURIComponent("name eq 'x'")}`, undefined, { prefer: 'odata.track-changes' })).status).toBe(400);
  });

  it('shows in its state only the columns its catalog names (accounts, contacts, change-tracking tombstones)', async () => {
    expect((await call('POST', `${API}/accounts`, { name: 'Co', accountnumber: 'A-1', revenue: 10, creditonhold: false, numberofemployees: 3 })).status).toBe(204);
    await call('POST', `${API}/contacts`, { firstname: 'Ada', lastname: 'Lovelace', emailaddress1: 'ada@example.com', jobtitle: 'Analyst' });
    const gone = guidFrom((await call('POST', `${API}/accounts`, { name: 'Gone' })).headers.get('odata-entityid'));
    expect((await call('DELETE', `${API}/accounts(${gone})`)).status).toBe(204);
    const state = (await admin('GET', 'state')).objects as Record<string, Body[]>;
    const catalog = dynamicsSandbox().catalog!;
    const unknown = Object.entries(state).flatMap(([object, records]) => records.flatMap((r) => Object.keys(r)
      .filter((k) => !catalog.find((c) => c.name === object)?.fields.some((f) => f.name === k)).map((k) => `${object}.${k}`)));
    expect(Object.values(state).map((records) => records.length)).not.toContain(0);
    expect(unknown).toEqual([]);
  });

  it('answers the service protection limits with 429, Retry-After and their error codes', async () => {
    const limited = await startDynamicsSandbox({ ...credentials, tenantId, enforceRateLimit: true, rateLimit: { limit: 3 }, concurrencyLimit: 2, processingMs: 200 });
    try {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret, scope: `${limited.url}/.default` });
      const issued = await (await fetch(`${limited.url}/${tenantId}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })).json() as Body;
      const get = () => fetch(`${limited.url}${API}/accounts`, { headers: { authorization: `Bearer ${issued.access_token}` } });
      const burst = await Promise.all([get(), get(), get()]);
      const concurrent = burst.find((r) => r.status === 429)!;
      expect(concurrent.headers.get('retry-after')).toBe('1');
      expect(((await concurrent.json()) as Body).error.code).toBe('0x80072326');
      const overLimit = await get();
      expect(overLimit.status).toBe(429);
      expect(Number(overLimit.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await overLimit.json()) as Body).error).toEqual({ code: '0x80072322', message: 'Number of requests exceeded the limit of 3 over time window of 300 seconds.' });
    } finally {
      await limited.stop();
    }
  });
});

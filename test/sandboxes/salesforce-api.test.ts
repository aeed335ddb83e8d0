import fs from 'node:fs';
import path from 'node:path';
import { startSalesforceSandbox } from '../../sandboxes/salesforce';
import { caseSafeSuffix, isSalesforceId } from '../../sandboxes/salesforce/ids';
import type { RunningSandbox } from '../../sandboxes/kit';

// The Salesforce sandbox over real HTTP: OAuth, sObject Collections, SOQL paging, getDeleted,
// describe, SOAP undelete, and Salesforce's error bodies. Paths are checked against the Postman
// templates Salesforce publishes (../shared/specs/salesforce/postman).

const POSTMAN = path.resolve(__dirname, '../../../shared/specs/salesforce/postman');
const V = '/services/data/v62.0';

function postmanPath(file: string): { method: string; path: string } {
  const template = JSON.parse(fs.readFileSync(path.join(POSTMAN, file), 'utf8')) as { method: string; url: string };
  const url = template.url.replace('{{_endpoint}}', '').replace('{{url}}{{site}}', '').replace('v{{version}}', 'v62.0').split('?')[0];
  return { method: template.method, path: url };
}

describe('Salesforce sandbox', () => {
  let sandbox: RunningSandbox;
  let token: string;
  let credentials: { clientId: string; clientSecret: string; refreshToken: string };

  async function call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${sandbox.url}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: res.headers };
  }
  const admin = async (method: string, p: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${sandbox.url}/__sandbox/${p}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return res.json();
  };
  const tokenCall = async (fields: Record<string, string>) => {
    const res = await fetch(`${sandbox.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox();
    const answer = await admin('GET', 'credentials');
    credentials = answer.credentials;
    expect(answer.config).toEqual({ loginUrl: sandbox.url });
    const res = await tokenCall({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ instance_url: sandbox.url, token_type: 'Bearer', id: expect.stringContaining('/id/00D'), issued_at: expect.stringMatching(/^\d+$/), signature: expect.any(String) });
    expect(res.body.expires_in).toBeUndefined();
    token = res.body.access_token;
  });
  afterAll(async () => { await sandbox.stop(); });
  beforeEach(async () => {
    await admin('DELETE', 'faults');
  });

  it('follows the Postman templates for the paths it serves', () => {
    expect(postmanPath('auth/refresh_token.json')).toEqual({ method: 'POST', path: '/services/oauth2/token' });
    expect(postmanPath('composite/sobject_collections_create.json')).toEqual({ method: 'POST', path: `${V}/composite/sobjects` });
    expect(postmanPath('composite/sobject_collections_update.json').method).toBe('PATCH');
    expect(postmanPath('composite/sobject_collections_retrieve.json')).toEqual({ method: 'GET', path: `${V}/composite/sobjects/<SOBJECT_API_NAME>` });
    expect(postmanPath('rest/query.json')).toEqual({ method: 'GET', path: `${V}/query/` });
    expect(postmanPath('rest/queryall.json')).toEqual({ method: 'GET', path: `${V}/queryAll/` });
    expect(postmanPath('rest/sobject_get_deleted.json')).toEqual({ method: 'GET', path: `${V}/sobjects/<SOBJECT_API_NAME>/deleted/` });
    expect(postmanPath('rest/sobject_describe.json')).toEqual({ method: 'GET', path: `${V}/sobjects/<SOBJECT_API_NAME>/describe` });
  });

  it('refuses bad grants with OAuth error bodies and bad sessions with INVALID_SESSION_ID', async () => {
    const bad = await tokenCall({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: 'nope' });
    expect(bad).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } });
    expect((await tokenCall({ grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    const res = await fetch(`${sandbox.url}${V}/query?q=SELECT+Id+FROM+Account`, { headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('creates, updates, upserts, retrieves and deletes through sObject Collections, record by record', async () => {
    const created = await call('POST', `${V}/composite/sobjects`, { allOrNone: false, records: [
      { attributes: { type: 'Contact' }, LastName: 'Lovelace', Email: 'ada@example.com', External_Id__c: 'c-1' },
      { attributes: { type: 'Contact' }, FirstName: 'NoLast' },
      { attributes: { type: 'Contact' }, LastName: 'Bad', Email: 'not-an-email' },
      { attributes: { type: 'Opportunity' }, Name: 'Deal', StageName: 'Prospecting', CloseDate: '2024-06-30', Probability: 120 },
    ] });
    expect(created.status).toBe(200);
    const [ok, missing, badEmail, rule] = created.body;
    expect(ok).toEqual({ id: expect.stringMatching(/^003[a-zA-Z0-9]{15}$/), success: true, errors: [] });
    expect(isSalesforceId(ok.id)).toBe(true);
    expect(ok.id.slice(15)).toBe(caseSafeSuffix(ok.id.slice(0, 15)));
    expect(missing).toEqual({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }] });
    expect(badEmail.errors[0]).toMatchObject({ statusCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] });
    expect(rule.errors[0]).toMatchObject({ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: ['Probability'] });

    const upserted = await call('PATCH', `${V}/composite/sobjects/Contact/External_Id__c`, { allOrNone: false, records: [
      { attributes: { type: 'Contact' }, External_Id__c: 'C-1', FirstName: 'Ada' },
      { attributes: { type: 'Contact' }, External_Id__c: 'c-2', LastName: 'Hopper' },
    ] });
    expect(upserted.body).toEqual([
      { id: ok.id, success: true, errors: [], created: false },
      { id: expect.stringMatching(/^003/), success: true, errors: [], created: true },
    ]);
    const updated = await call('PATCH', `${V}/composite/sobjects`, { allOrNone: false, records: [{ attributes: { type: 'Contact' }, Id: ok.id, Title: 'Countess', Email: null }] });
    expect(updated.body).toEqual([{ id: ok.id, success: true, errors: [] }]);

    const read = await call('GET', `${V}/composite/sobjects/Contact?ids=${ok.id},003000000000000AAA&fields=FirstName,Title,Email`);
    expect(read.body).toEqual([
      { attributes: { type: 'Contact', url: `${V}/sobjects/Contact/${ok.id}` }, Id: ok.id, FirstName: 'Ada', Title: 'Countess', Email: null },
      null,
    ]);

    const deleted = await call('DELETE', `${V}/composite/sobjects?ids=${ok.id}&allOrNone=false`);
    expect(deleted.body).toEqual([{ id: ok.id, success: true, errors: [] }]);
    expect((await call('DELETE', `${V}/composite/sobjects?ids=${ok.id}`)).body[0].errors[0].statusCode).toBe('ENTITY_IS_DELETED');
    expect((await call('GET', `${V}/composite/sobjects/Contact?ids=${ok.id}&fields=LastName`)).body).toEqual([null]);
    const state = await admin('GET', 'state');
    expect(state.objects.Contact.find((r: any) => r.Id === ok.id)).toMatchObject({ IsDeleted: true, LastName: 'Lovelace', DeletedDate: expect.any(String) });

    const tooMany = await call('POST', `${V}/composite/sobjects`, { records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Account' }, Name: 'x' })) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
    const unknownField = await call('POST', `${V}/composite/sobjects`, { records: [{ attributes: { type: 'Account' }, Name: 'x', Nope__c: 1 }] });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
  });

  it('pages SOQL results with nextRecordsUrl, and queryAll sees the recycle bin', async () => {
    await admin('POST', 'reset');
    await admin('POST', 'seed', { objects: { Account: Array.from({ length: 450 }, (_, i) => ({ Name: `Acme ${String(i).padStart(3, '0')}`, External_Id__c: `a-${i}` })) } });
    const first = await call('GET', `${V}/query?q=${encodeURIComponent('SELECT Id, Name FROM Account ORDER BY Name')}`, undefined, { 'Sforce-Query-Options': 'batchSize=200' });
    expect(first.body).toMatchObject({ totalSize: 450, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]+-200$/) });
    const names: string[] = first.body.records.map((r: any) => r.Name);
    let next: string | undefined = first.body.nextRecordsUrl;
    while (next) {
      const page = await call('GET', next);
      names.push(...page.body.records.map((r: any) => r.Name));
      next = page.body.nextRecordsUrl;
      if (!next) expect(page.body.done).toBe(true);
    }
    expect(names).toHaveLength(450);
    expect(names).toEqual([...names].sort());

    const one = (await call('GET', `${V}/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE External_Id__c IN ('A-7', 'a-8') AND Name != 'x'")}`)).body;
    expect(one.totalSize).toBe(2);
    await call('DELETE', `${V}/composite/sobjects?ids=${one.records[0].Id}`);
    const live = (await call('GET', `${V}/query?q=${encodeURIComponent('SELECT Id FROM Account WHERE IsDeleted = true')}`)).body;
    const all = (await call('GET', `${V}/queryAll?q=${encodeURIComponent('SELECT Id, IsDeleted FROM Account WHERE IsDeleted = true')}`)).body;
    expect(live.totalSize).toBe(0);
    expect(all.records).toEqual([expect.objectContaining({ Id: one.records[0].Id, IsDeleted: true })]);

    const malformed = await call('GET', `${V}/query?q=${encodeURIComponent('SELEC Id FROM Account')}`);
    expect(malformed.status).toBe(400);
    expect(malformed.body[0].errorCode).toBe('MALFORMED_QUERY');
    const quoted = await call('GET', `${V}/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE SystemModstamp > '2024-01-01T00:00:00Z'")}`);
    expect(quoted.body[0].errorCode).toBe('INVALID_FIELD');
  });

  it('orders by SystemModstamp at whole seconds, and lists deletes with getDeleted', async () => {
    await admin('POST', 'reset');
    await admin('POST', 'clock', { at: '2024-03-01T09:00:00.250Z', frozen: true });
    const [a, b] = (await admin('POST', 'seed', { objects: { Account: [{ Name: 'A' }, { Name: 'B' }] } })).objects.Account;
    await call('PATCH', `${V}/composite/sobjects`, { records: [{ attributes: { type: 'Account' }, Id: b.Id, Phone: '1' }, { attributes: { type: 'Account' }, Id: a.Id, Phone: '2' }] });
    const tie = (await call('GET', `${V}/query?q=${encodeURIComponent('SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp = 2024-03-01T09:00:00Z ORDER BY SystemModstamp, Id')}`)).body;
    expect(tie.records.map((r: any) => r.Id)).toEqual([a.Id, b.Id]);
    expect(tie.records[0].SystemModstamp).toBe('2024-03-01T09:00:00.000+0000');

    await admin('POST', 'clock', { advanceMs: 60_000 });
    await call('DELETE', `${V}/composite/sobjects?ids=${a.Id}`);
    const deleted = await call('GET', `${V}/sobjects/Account/deleted/?start=2024-03-01T09:00:00%2B00:00&end=2024-03-01T10:00:00%2B00:00`);
    expect(deleted.body).toEqual({
      deletedRecords: [{ id: a.Id, deletedDate: '2024-03-01T09:01:00.000+0000' }],
      earliestDateAvailable: expect.any(String),
      latestDateCovered: '2024-03-01T09:01:00.000+0000',
    });
    const tooOld = await call('GET', `${V}/sobjects/Account/deleted/?start=2023-01-01T00:00:00Z&end=2024-03-01T10:00:00Z`);
    expect(tooOld.body[0].errorCode).toBe('INVALID_REPLICATION_DATE');

    const soap = (session: string, id: string) => fetch(`${sandbox.url}/services/Soap/u/62.0`, {
      method: 'POST', headers: { 'content-type': 'text/xml', soapaction: 'undelete' },
      body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com"><soapenv:Header><urn:SessionHeader><urn:sessionId>${session}</urn:sessionId></urn:SessionHeader></soapenv:Header><soapenv:Body><urn:undelete><urn:ids>${id}</urn:ids></urn:undelete></soapenv:Body></soapenv:Envelope>`,
    });
    const refused = await soap('bad', a.Id);
    expect(refused.status).toBe(500);
    expect(await refused.text()).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
    const undeleted = await soap(token, a.Id);
    expect(await undeleted.text()).toContain(`<result><id>${a.Id}</id><success>true</success></result>`);
    expect((await call('GET', `${V}/composite/sobjects/Account?ids=${a.Id}&fields=Name`)).body[0]).toMatchObject({ Id: a.Id, Name: 'A' });
    expect(await (await soap(token, a.Id)).text()).toContain('<statusCode>UNDELETE_FAILED</statusCode>');

    const described = (await call('GET', `${V}/sobjects/Invoice__c/describe`)).body;
    expect(described).toMatchObject({ name: 'Invoice__c', custom: true, undeletable: true });
    expect(described.fields.find((f: any) => f.name === 'Invoice_Number__c')).toMatchObject({ externalId: true, createable: true });
    await admin('POST', 'clock', { frozen: false });
  });

  it('answers injected faults and its throttle in Salesforce shapes', async () => {
    await admin('POST', 'faults', { faults: [{ path: `${V}/query`, status: 403, times: 1 }] });
    const limited = await call('GET', `${V}/query?q=SELECT+Id+FROM+Account`);
    expect(limited.status).toBe(403);
    expect(limited.body).toEqual([{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]);
    const throttled = await startSalesforceSandbox({ enforceRateLimit: true, rateLimit: { limit: 1, windowMs: 60_000 } });
    try {
      const creds = (await (await fetch(`${throttled.url}/__sandbox/credentials`)).json()) as any;
      const t = await fetch(`${throttled.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: creds.credentials.clientId, client_secret: creds.credentials.clientSecret, refresh_token: creds.credentials.refreshToken }).toString() });
      const access = ((await t.json()) as any).access_token;
      const q = () => fetch(`${throttled.url}${V}/query?q=SELECT+Id+FROM+Account`, { headers: { authorization: `Bearer ${access}` } });
      expect((await q()).status).toBe(200);
      const second = await q();
      expect(second.status).toBe(429);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await second.json()) as any)[0].errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    } finally {
      await throttled.stop();
    }
  });
});

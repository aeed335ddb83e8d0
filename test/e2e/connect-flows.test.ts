import { CREDENTIAL_STORE } from '../../src/gateway/tokens';
import type { CredentialStore } from '../../src/platform/credentials/store';
import { answerConsent, openCallback } from '../helpers/consent-page';
import { startConnectorSandbox, startGateway, type ConnectorSandbox, type TestGateway } from '../helpers/gateway';
import { uniqueName } from '../helpers/stack';

// Connecting HubSpot and Salesforce by consent, through their sandboxes' consent pages driven over
// HTTP: the platform's OAuth apps are the sandboxes' clients (as FORGE_OAUTH_<SYSTEM>_CLIENT_* would be).
jest.setTimeout(120_000);

describe('connect flows (OAuth authorization code)', () => {
  let gw: TestGateway;
  let hubspot: ConnectorSandbox;
  let salesforce: ConnectorSandbox;
  let tenant: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };

  beforeAll(async () => {
    hubspot = await startConnectorSandbox('hubspot');
    salesforce = await startConnectorSandbox('salesforce');
    const client = (s: ConnectorSandbox) => ({ clientId: s.credentials.clientId!, clientSecret: s.credentials.clientSecret! });
    gw = await startGateway({ oauthClients: { hubspot: client(hubspot), salesforce: client(salesforce) } });
    tenant = await gw.createTenant();
    other = await gw.createTenant();
  });
  afterAll(async () => {
    await gw?.close();
    await hubspot?.stop();
    await salesforce?.stop();
  });

  async function startSession(system: ConnectorSandbox, connector: string, key = tenant.apiKey) {
    const res = await gw.call('POST', '/v1/connect/sessions', { key, body: { connector, name: uniqueName(connector), config: system.config } });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; authorizationUrl: string; status: string; expiresAt: string };
  }
  const connectionIds = async (key = tenant.apiKey) => (await gw.call('GET', '/v1/connections', { key })).body.connections.map((c: { id: string }) => c.id) as string[];

  it.each([['hubspot'], ['salesforce']])('connects %s through its consent page; the connection passes its test', async (connector) => {
    const system = connector === 'hubspot' ? hubspot : salesforce;
    const session = await startSession(system, connector);
    expect(session).toEqual({ id: expect.stringMatching(/^cs_/), connector, name: session.name, status: 'pending', authorizationUrl: expect.any(String), expiresAt: expect.any(String) });
    const remaining = Date.parse(session.expiresAt) - Date.now();
    expect(remaining).toBeGreaterThan(9 * 60_000);
    expect(remaining).toBeLessThanOrEqual(10 * 60_000 + 5_000);

    const location = await answerConsent(session.authorizationUrl, 'allow');
    expect(`${location.origin}${location.pathname}`).toBe(`${gw.url}/v1/connect/callback`);
    const page = await openCallback(location);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const done = (await gw.call('GET', `/v1/connect/sessions/${session.id}`, { key: tenant.apiKey })).body;
    expect(done).toEqual({ id: session.id, connector, name: session.name, status: 'connected', connectionId: expect.stringMatching(/^cn_/), expiresAt: session.expiresAt });
    expect(page.html).toContain(done.connectionId);
    const connection = (await gw.call('GET', `/v1/connections/${done.connectionId}`, { key: tenant.apiKey })).body;
    expect(connection).toMatchObject({ connector, name: session.name, config: system.config });
    expect((await gw.call('POST', `/v1/connections/${done.connectionId}/test`, { key: tenant.apiKey })).body).toEqual({ ok: true });
  });

  it('asks HubSpot for its CRM scopes without PKCE, and Salesforce for api and refresh_token with PKCE S256', async () => {
    const hs = new URL((await startSession(hubspot, 'hubspot')).authorizationUrl);
    expect(`${hs.origin}${hs.pathname}`).toBe(`${hubspot.config.appUrl as string}/oauth/authorize`);
    expect(hs.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['oauth', 'crm.objects.contacts.write', 'crm.objects.deals.read']));
    expect(hs.searchParams.get('redirect_uri')).toBe(`${gw.url}/v1/connect/callback`);
    expect(hs.searchParams.has('code_challenge')).toBe(false);

    const sf = new URL((await startSession(salesforce, 'salesforce')).authorizationUrl);
    expect(`${sf.origin}${sf.pathname}`).toBe(`${salesforce.config.loginUrl as string}/services/oauth2/authorize`);
    expect(sf.searchParams.get('scope')).toBe('api refresh_token');
    expect(sf.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sf.searchParams.get('code_challenge_method')).toBe('S256');
    expect(sf.searchParams.get('state')).not.toBe(hs.searchParams.get('state'));
  });

  it('Deny: the session is denied, the page says so, no connection is made', async () => {
    const before = await connectionIds();
    const session = await startSession(hubspot, 'hubspot');
    const location = await answerConsent(session.authorizationUrl, 'deny');
    expect(location.searchParams.get('error')).toBe('access_denied');
    const page = await openCallback(location);
    expect(page.status).toBe(400);
    expect(page.html).toContain('denied');
    expect((await gw.call('GET', `/v1/connect/sessions/${session.id}`, { key: tenant.apiKey })).body).toMatchObject({ status: 'denied' });
    expect(await connectionIds()).toEqual(before);
  });

  it('a replayed callback is refused with a page and creates nothing more', async () => {
    const session = await startSession(hubspot, 'hubspot');
    const location = await answerConsent(session.authorizationUrl, 'allow');
    expect((await openCallback(location)).status).toBe(200);
    const after = await connectionIds();
    const replay = await openCallback(location);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('used already');
    expect(await connectionIds()).toEqual(after);
    expect((await gw.call('GET', `/v1/connect/sessions/${session.id}`, { key: tenant.apiKey })).body.status).toBe('connected');
  });

  it('an expired state is refused with a page, and the session reads expired', async () => {
    const before = await connectionIds();
    const session = await startSession(hubspot, 'hubspot');
    const location = await answerConsent(session.authorizationUrl, 'allow');
    await gw.pool.query("UPDATE connect_sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [session.id]);
    const page = await openCallback(location);
    expect(page.status).toBe(400);
    expect(page.html).toContain('expired');
    expect((await gw.call('GET', `/v1/connect/sessions/${session.id}`, { key: tenant.apiKey })).body.status).toBe('expired');
    expect(await connectionIds()).toEqual(before);
  });

  it('unknown or missing states are refused; another tenant cannot see a session', async () => {
    const before = await connectionIds();
    const session = await startSession(hubspot, 'hubspot');
    const location = await answerConsent(session.authorizationUrl, 'allow');
    const forged = new URL(location);
    forged.searchParams.set('state', `${location.searchParams.get('state')}x`);
    const unknown = await openCallback(forged);
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('unknown');
    forged.searchParams.delete('state');
    expect((await openCallback(forged)).status).toBe(400);
    expect(await connectionIds()).toEqual(before);

    const foreign = await gw.call('GET', `/v1/connect/sessions/${session.id}`, { key: other.apiKey });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ error: { code: 'not_found', message: `no connect session with id ${session.id}` } });
    // The session still works for its own tenant, and the connection is that tenant's alone.
    expect((await openCallback(location)).status).toBe(200);
    const { connectionId } = (await gw.call('GET', `/v1/connect/sessions/${session.id}`, { key: tenant.apiKey })).body;
    expect(await connectionIds()).toContain(connectionId);
    expect(await connectionIds(other.apiKey)).toEqual([]);
  });

  it('a wrong PKCE verifier is refused by Salesforce: the session fails and nothing is created', async () => {
    const before = await connectionIds();
    const session = await startSession(salesforce, 'salesforce');
    const store = gw.app.get<CredentialStore>(CREDENTIAL_STORE);
    const kept = await store.get(tenant.id, session.id);
    expect(kept).toEqual({ codeVerifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    await store.put(tenant.id, session.id, { codeVerifier: 'x'.repeat(43) });
    const page = await openCallback(await answerConsent(session.authorizationUrl, 'allow'));
    expect(page.status).toBe(400);
    expect(page.html).toContain('invalid code verifier');
    expect((await gw.call('GET', `/v1/connect/sessions/${session.id}`, { key: tenant.apiKey })).body)
      .toMatchObject({ status: 'failed', error: expect.stringContaining('invalid_request') });
    expect(await connectionIds()).toEqual(before);
    expect(await store.get(tenant.id, session.id)).toBeNull();
  });

  it('refuses bad sessions naming the field', async () => {
    const post = (body: unknown) => gw.call('POST', '/v1/connect/sessions', { key: tenant.apiKey, body });
    const fields = async (body: unknown) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      return res.body.error.fields.map((f: { field: string }) => f.field);
    };
    expect(await fields({ connector: 'no-such-system', name: 'x' })).toEqual(['connector']);
    expect(await fields({ connector: 'stripe', name: 'x', config: {} })).toEqual(['connector']);
    expect(await fields({ connector: 'salesforce', name: 'x', config: { loginUrl: 'not a url' } })).toEqual(['config.loginUrl']);
    expect(await fields({ connector: 'hubspot', name: '', config: hubspot.config, colour: 'red' })).toEqual(expect.arrayContaining(['name', 'colour']));
    const unconfigured = await startGateway();
    try {
      const t = await unconfigured.createTenant();
      const res = await unconfigured.call('POST', '/v1/connect/sessions', { key: t.apiKey, body: { connector: 'hubspot', name: 'x', config: hubspot.config } });
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual([{ field: 'client', message: expect.stringContaining('FORGE_OAUTH_HUBSPOT_CLIENT_ID') }]);
    } finally {
      await unconfigured.close();
    }
    expect((await gw.call('POST', '/v1/connect/sessions', { body: { connector: 'hubspot', name: 'x' } })).status).toBe(401);
  });

  it("a tenant's own OAuth app: its secret is kept encrypted for the exchange, never echoed", async () => {
    const own = { clientId: hubspot.credentials.clientId!, clientSecret: hubspot.credentials.clientSecret! };
    const res = await gw.call('POST', '/v1/connect/sessions', { key: other.apiKey, body: { connector: 'hubspot', name: uniqueName('own-app'), config: hubspot.config, client: own } });
    expect(res.status).toBe(201);
    expect(res.text).not.toContain(own.clientSecret);
    const { rows } = await gw.pool.query('SELECT 1 FROM connect_sessions WHERE connect_sessions::text LIKE $1', [`%${own.clientSecret}%`]);
    expect(rows).toHaveLength(0);
    const page = await openCallback(await answerConsent(res.body.authorizationUrl, 'allow'));
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(own.clientSecret);
    const { connectionId } = (await gw.call('GET', `/v1/connect/sessions/${res.body.id}`, { key: other.apiKey })).body;
    expect((await gw.call('POST', `/v1/connections/${connectionId}/test`, { key: other.apiKey })).body).toEqual({ ok: true });
  });

  it('refuses a name a connection of the tenant already has (409), before anyone consents', async () => {
    const session = await startSession(hubspot, 'hubspot');
    expect((await openCallback(await answerConsent(session.authorizationUrl, 'allow'))).status).toBe(200);
    const again = await gw.call('POST', '/v1/connect/sessions', { key: tenant.apiKey, body: { connector: 'hubspot', name: session.name, config: hubspot.config } });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({ code: 'conflict', message: `a connection named "${session.name}" already exists` });
  });

  it('removes the secrets of sessions whose time ran out unanswered', async () => {
    const store = gw.app.get<CredentialStore>(CREDENTIAL_STORE);
    const stale = await startSession(salesforce, 'salesforce');
    expect(await store.get(tenant.id, stale.id)).not.toBeNull();
    await gw.pool.query("UPDATE connect_sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [stale.id]);
    await startSession(salesforce, 'salesforce');
    expect(await store.get(tenant.id, stale.id)).toBeNull();
    expect((await gw.call('GET', `/v1/connect/sessions/${stale.id}`, { key: tenant.apiKey })).body.status).toBe('expired');
    const page = await openCallback(await answerConsent(stale.authorizationUrl, 'allow'));
    expect(page.status).toBe(400);
    expect(page.html).toContain('expired');
  });
});

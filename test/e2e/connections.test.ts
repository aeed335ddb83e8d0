import { CREDENTIAL_STORE } from '../../src/gateway/tokens';
import type { CredentialStore } from '../../src/platform/credentials/store';
import { seedConnection, startConnectorSandbox, startGateway, type ConnectorSandbox, type TestGateway } from '../helpers/gateway';
import { uniqueName } from '../helpers/stack';

const CANARY = 'canary-secret-7f3a9c1e5b2d4086';

describe('/v1/connections', () => {
  let gw: TestGateway;
  let tenantA: { id: string; apiKey: string };
  let tenantB: { id: string; apiKey: string };
  beforeAll(async () => {
    gw = await startGateway();
    tenantA = await gw.createTenant();
    tenantB = await gw.createTenant();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('needs an API key', async () => {
    for (const [method, path] of [['GET', '/v1/connections'], ['POST', '/v1/connections'], ['GET', '/v1/connections/cn_x'],
      ['POST', '/v1/connections/cn_x/test']]) {
      const res = await gw.call(method, path);
      expect({ method, path, status: res.status, code: res.body.error.code }).toEqual({ method, path, status: 401, code: 'unauthorized' });
    }
  });

  it('refuses an unknown connector, naming the field', async () => {
    const res = await gw.call('POST', '/v1/connections', {
      key: tenantA.apiKey,
      body: { connector: 'no-such-system', name: 'crm', credentials: { apiKey: 'whatever-value' }, config: {} },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields).toEqual([{ field: 'connector', message: expect.stringContaining('no-such-system') }]);
  });

  it('names every bad field at once', async () => {
    const res = await gw.call('POST', '/v1/connections', {
      key: tenantA.apiKey,
      body: { connector: 7, name: '', credentials: 'not-an-object', config: [], colour: 'red' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'config', 'connector', 'credentials', 'name']);
  });

  it('never echoes a submitted credential value in a refused request', async () => {
    const bodies = [
      { connector: 'no-such-system', name: 'crm', credentials: { apiKey: CANARY, refreshToken: CANARY }, config: {} },
      { connector: 'no-such-system', name: CANARY.length, credentials: CANARY, config: CANARY },
      { connector: CANARY, name: 'x', credentials: { password: CANARY } },
      { name: 'x', credentials: { clientSecret: CANARY, nested: { token: CANARY } }, config: { token: CANARY } },
    ];
    for (const body of bodies) {
      const res = await gw.call('POST', '/v1/connections', { key: tenantA.apiKey, body });
      expect(res.status).toBe(400);
      expect(res.text).not.toContain(CANARY);
    }
    const { rows } = await gw.pool.query('SELECT 1 FROM connections WHERE connections::text LIKE $1', [`%${CANARY}%`]);
    expect(rows).toHaveLength(0);
  });

  it('scopes connections to their tenant: another tenant gets 404, never 403', async () => {
    const id = await seedConnection(gw.pool, tenantA.id);

    const own = await gw.call('GET', `/v1/connections/${id}`, { key: tenantA.apiKey });
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ id, connector: 'hubspot', name: expect.any(String), config: { region: 'eu' }, createdAt: expect.any(String) });
    expect((await gw.call('GET', '/v1/connections', { key: tenantA.apiKey })).body.connections.map((c: { id: string }) => c.id)).toContain(id);

    const other = await gw.call('GET', `/v1/connections/${id}`, { key: tenantB.apiKey });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: { code: 'not_found', message: `no connection with id ${id}` } });
    expect((await gw.call('POST', `/v1/connections/${id}/test`, { key: tenantB.apiKey })).status).toBe(404);
    expect((await gw.call('GET', '/v1/connections', { key: tenantB.apiKey })).body.connections).toEqual([]);
    const neverExisted = await gw.call('GET', '/v1/connections/cn_never_existed', { key: tenantB.apiKey });
    expect(neverExisted.status).toBe(404);
    expect(neverExisted.body).toEqual({ error: { code: 'not_found', message: 'no connection with id cn_never_existed' } });
  });

  describe('with the HubSpot connector and its sandbox', () => {
    let hubspot: ConnectorSandbox;
    beforeAll(async () => {
      hubspot = await startConnectorSandbox('hubspot');
    });
    afterAll(async () => {
      await hubspot?.stop();
    });

    it('stores the settings in connections and the credentials only in the credential store', async () => {
      const id = await hubspot.createConnection(gw, tenantA.apiKey);
      const store = gw.app.get<CredentialStore>(CREDENTIAL_STORE);
      expect(await store.get(tenantA.id, id)).toEqual(hubspot.credentials);

      const res = await gw.call('GET', `/v1/connections/${id}`, { key: tenantA.apiKey });
      expect(res.body).toEqual({ id, connector: 'hubspot', name: expect.any(String), config: hubspot.config, createdAt: expect.any(String) });
      const list = await gw.call('GET', '/v1/connections', { key: tenantA.apiKey });
      for (const secret of [hubspot.credentials.clientSecret, hubspot.credentials.refreshToken]) {
        expect(res.text).not.toContain(secret);
        expect(list.text).not.toContain(secret);
        const { rows } = await gw.pool.query('SELECT 1 FROM connections WHERE connections::text LIKE $1', [`%${secret}%`]);
        expect(rows).toHaveLength(0);
      }
      expect((await gw.call('GET', `/v1/connections/${id}`, { key: tenantB.apiKey })).status).toBe(404);
    });

    it('checks the credentials against the system', async () => {
      const id = await hubspot.createConnection(gw, tenantA.apiKey);
      expect((await gw.call('POST', `/v1/connections/${id}/test`, { key: tenantA.apiKey })).body).toEqual({ ok: true });

      const wrong = await hubspot.createConnection(gw, tenantA.apiKey, { ...hubspot.credentials, refreshToken: CANARY });
      const res = await gw.call('POST', `/v1/connections/${wrong}/test`, { key: tenantA.apiKey });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: false, error: { kind: 'permanent', message: expect.any(String) } });
      expect(res.text).not.toContain(CANARY);
    });

    it('names the bad credential and config fields by path, never echoing the values', async () => {
      const res = await gw.call('POST', '/v1/connections', {
        key: tenantA.apiKey,
        body: { connector: 'hubspot', name: 'bad', credentials: { clientId: CANARY, clientSecret: 42 }, config: { baseUrl: 'not a url' } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.map((f: { field: string }) => f.field).sort())
        .toEqual(['config.baseUrl', 'credentials.clientSecret', 'credentials.refreshToken']);
      expect(res.text).not.toContain(CANARY);
    });

    it('refuses a second connection with the same name', async () => {
      const body = { connector: 'hubspot', name: uniqueName('twice'), credentials: hubspot.credentials, config: hubspot.config };
      expect((await gw.call('POST', '/v1/connections', { key: tenantA.apiKey, body })).status).toBe(201);
      const again = await gw.call('POST', '/v1/connections', { key: tenantA.apiKey, body });
      expect(again.status).toBe(409);
      expect(again.body.error).toEqual({ code: 'conflict', message: `a connection named "${body.name}" already exists` });
      expect((await gw.call('POST', '/v1/connections', { key: tenantB.apiKey, body })).status).toBe(201);
    });
  });
});

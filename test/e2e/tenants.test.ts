import crypto from 'node:crypto';
import { startGateway, type TestGateway } from '../helpers/gateway';

describe('POST /v1/tenants and API keys', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('needs the admin key', async () => {
    const missing = await gw.call('POST', '/v1/tenants', { body: { name: 'acme' } });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('admin key') } });

    const wrong = await gw.call('POST', '/v1/tenants', { key: 'not-the-admin-key-at-all', body: { name: 'acme' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');

    const tenantKeyIsNotAdmin = await gw.call('POST', '/v1/tenants', { key: (await gw.createTenant()).apiKey, body: {} });
    expect(tenantKeyIsNotAdmin.status).toBe(401);
  });

  it('creates a tenant whose key is shown once and stored only as a SHA-256 hash', async () => {
    const res = await gw.call('POST', '/v1/tenants', { key: gw.config.FORGE_ADMIN_KEY, body: { name: 'Acme' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^tn_/), name: 'Acme', apiKey: expect.any(String) });
    const { id, apiKey } = res.body as { id: string; apiKey: string };

    const { rows } = await gw.pool.query<{ api_key_hash: string }>('SELECT api_key_hash FROM tenants WHERE id = $1', [id]);
    expect(rows[0].api_key_hash).toBe(crypto.createHash('sha256').update(apiKey).digest('hex'));
    const everywhere = await gw.pool.query('SELECT 1 FROM tenants WHERE tenants::text LIKE $1', [`%${apiKey}%`]);
    expect(everywhere.rowCount).toBe(0);

    const withKey = await gw.call('GET', '/v1/connections', { key: apiKey });
    expect(withKey.status).toBe(200);
    expect(withKey.body).toEqual({ connections: [] });
  });

  it('accepts a tenant without a body and refuses unknown fields', async () => {
    const bare = await gw.call('POST', '/v1/tenants', { key: gw.config.FORGE_ADMIN_KEY });
    expect(bare.status).toBe(201);
    const extra = await gw.call('POST', '/v1/tenants', { key: gw.config.FORGE_ADMIN_KEY, body: { name: 'x', plan: 'gold' } });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatchObject({ code: 'validation_failed', fields: [{ field: 'plan', message: 'unknown field' }] });
  });

  it('answers 401 in the error shape for a missing, malformed, forged or tampered key', async () => {
    const { id, apiKey } = await gw.createTenant();
    const forged = `fwk.${id}.${crypto.randomBytes(32).toString('base64url')}`;
    const tampered = apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A');
    for (const key of [null, 'garbage', forged, tampered, `fwk.tn_00000000000000000000.${'x'.repeat(43)}`]) {
      const res = await gw.call('GET', '/v1/connections', { key });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('answers unknown routes and malformed JSON in the error shape', async () => {
    const unknown = await gw.call('GET', '/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });

    const { apiKey } = await gw.createTenant();
    const badJson = await gw.call('POST', '/v1/connections', { key: apiKey, rawBody: '{"connector": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('invalid_json');
  });

  it('lists every route in the OpenAPI document with a summary and its response codes', async () => {
    const res = await gw.call('GET', '/docs/openapi.json');
    const paths = res.body.paths as Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>>;
    const expected: Array<[string, string, string[]]> = [
      ['/v1/tenants', 'post', ['201', '401']],
      ['/v1/connections', 'post', ['201', '400', '401']],
      ['/v1/connections', 'get', ['200', '401']],
      ['/v1/connections/{id}', 'get', ['200', '404']],
      ['/v1/connections/{id}/test', 'post', ['200', '404']],
      ['/v1/loads', 'post', ['202', '400', '401']],
      ['/v1/loads/{id}', 'get', ['200', '404']],
      ['/v1/loads/{id}/records', 'get', ['200', '400', '404']],
      ['/v1/loads/{id}/cancel', 'post', ['202', '404', '409']],
      ['/v1/loads/{id}/rollback', 'post', ['202', '404', '409']],
    ];
    for (const [path, method, codes] of expected) {
      const operation = paths[path]?.[method];
      expect({ path, method, summary: operation?.summary }).toEqual({ path, method, summary: expect.any(String) });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(codes));
    }
  });
});

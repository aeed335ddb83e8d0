import { seedConnection, startGateway, type TestGateway } from '../helpers/gateway';

// POST /v1/captures and GET /v1/stream: what the gateway checks before any worker is involved
// (request validation, the connector's objects, one capture per connection and object, tenant
// scoping). Capture itself, per connector, is in test/conformance.
describe('/v1/captures and /v1/stream', () => {
  let gw: TestGateway;
  let tenant: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  let connectionId: string;
  const started: string[] = [];

  beforeAll(async () => {
    gw = await startGateway();
    tenant = await gw.createTenant();
    other = await gw.createTenant();
    connectionId = await seedConnection(gw.pool, tenant.id, 'hubspot');
  });
  afterAll(async () => {
    for (const id of started) await gw.temporal.workflow.getHandle(`capture-${tenant.id}-${id}`).terminate('test over').catch(() => {});
    await gw.close();
  });

  it('validates captures against the connector: interval, object', async () => {
    const bad = await gw.call('POST', '/v1/captures', { key: tenant.apiKey, body: { connectionId, object: 'tickets', intervalSeconds: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['intervalSeconds']);
    const unknownObject = await gw.call('POST', '/v1/captures', { key: tenant.apiKey, body: { connectionId, object: 'tickets' } });
    expect(unknownObject.status).toBe(400);
    expect(unknownObject.body.error.fields).toEqual([expect.objectContaining({ field: 'object' })]);
  });

  it('runs one capture per connection and object', async () => {
    const first = await gw.call('POST', '/v1/captures', { key: tenant.apiKey, body: { connectionId, object: 'contacts', intervalSeconds: 60 } });
    expect(first.status).toBe(201);
    started.push(first.body.id);
    const duplicate = await gw.call('POST', '/v1/captures', { key: tenant.apiKey, body: { connectionId, object: 'contacts' } });
    expect(duplicate.status).toBe(409);
  });

  it('validates Stream queries and scopes the Stream to the tenant', async () => {
    const badQuery = await gw.call('GET', `/v1/stream?connectionId=${connectionId}&limit=1001&after=x`, { key: tenant.apiKey });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['after', 'limit']);
    expect((await gw.call('GET', '/v1/stream', { key: tenant.apiKey })).body.error.fields[0].field).toBe('connectionId');
    expect((await gw.call('GET', `/v1/stream?connectionId=${connectionId}`, { key: tenant.apiKey })).status).toBe(200);
    expect((await gw.call('GET', `/v1/stream?connectionId=${connectionId}`, { key: other.apiKey })).status).toBe(404);
    expect((await gw.call('POST', '/v1/captures', { key: other.apiKey, body: { connectionId, object: 'contacts' } })).status).toBe(400);
  });
});

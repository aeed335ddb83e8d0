import { seedConnection, seedLoad, startGateway, type TestGateway } from '../helpers/gateway';

// The REST answers the console relies on besides the resources' own: the connector catalog,
// the console's settings, the tenant-scoped lists, and deleting a connection.

describe('REST for the console', () => {
  let gw: TestGateway;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };

  beforeAll(async () => {
    gw = await startGateway();
    a = await gw.createTenant();
    b = await gw.createTenant();
  });
  afterAll(async () => { await gw?.close(); });

  it('GET /v1/connectors gives JSON Schemas for the forms, with secret fields marked and listed', async () => {
    const res = await gw.call('GET', '/v1/connectors', { key: a.apiKey });
    expect(res.status).toBe(200);
    const hubspot = res.body.connectors.find((c: any) => c.id === 'hubspot');
    expect(hubspot.credentials.required).toEqual(['clientId', 'clientSecret', 'refreshToken']);
    expect(hubspot.secretFields).toEqual(['clientSecret', 'refreshToken']);
    expect(hubspot.credentials.properties.clientSecret.writeOnly).toBe(true);
    expect(hubspot.credentials.properties.clientId.writeOnly).toBeUndefined();
    expect(hubspot.config.properties.baseUrl.default).toBe('https://api.hubapi.com');
    expect(hubspot.objects.find((o: any) => o.name === 'contacts').notes).toMatch(/email is unique/);
    expect((await gw.call('GET', '/v1/connectors')).status).toBe(401);
  });

  it('GET /v1/console/settings names the tenant and no Temporal UI link unless one is configured', async () => {
    const res = await gw.call('GET', '/v1/console/settings', { key: a.apiKey });
    expect(res.body).toEqual({ tenantId: a.id, temporal: { namespace: 'default', loadWorkflowUrl: null } });
  });

  it("lists only the caller's loads, captures and bridges", async () => {
    const connectionId = await seedConnection(gw.pool, a.id);
    const loadId = await seedLoad(gw.pool, a.id, connectionId, { status: 'completed' });
    const mine = await gw.call('GET', '/v1/loads', { key: a.apiKey });
    expect(mine.body.loads.map((l: any) => l.id)).toEqual([loadId]);
    expect((await gw.call('GET', '/v1/loads', { key: b.apiKey })).body.loads).toEqual([]);
    expect((await gw.call('GET', '/v1/loads?limit=0', { key: a.apiKey })).status).toBe(400);
    expect((await gw.call('GET', '/v1/captures', { key: b.apiKey })).body).toEqual({ captures: [] });
    expect((await gw.call('GET', '/v1/bridges', { key: b.apiKey })).body).toEqual({ bridges: [] });
  });

  it('serves the built console at /console with a strict content security policy', async () => {
    const res = await fetch(`${gw.url}/console`);
    expect([200, 503]).toContain(res.status);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${gw.url}/console/assets/nothing.js`)).status).toBe(404);
  });
});

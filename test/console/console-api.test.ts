import { inTransaction } from '../../src/platform/db/pool';
import { CapturesRepository } from '../../src/platform/db/repositories/captures';
import { StreamRepository } from '../../src/platform/db/repositories/stream';
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

  it('filters the Stream by change and record id in the gateway, paging over matches only; a capture says when its newest change happened', async () => {
    const connectionId = await seedConnection(gw.pool, a.id);
    const captureId = 'cp_console_stream_filters';
    await new CapturesRepository(gw.pool).insert({ id: captureId, tenantId: a.id, connectionId, connector: 'hubspot', object: 'contacts', intervalSeconds: 60, pollsPerRun: 100 });
    const changes = Array.from({ length: 30 }, (_, i) => ({
      object: 'contacts', recordId: `r_${i}`, op: i % 3 === 0 ? 'delete' as const : 'upsert' as const,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), version: String(i), data: i % 3 === 0 ? null : { email: `r${i}@example.com` },
    }));
    await inTransaction(gw.pool, (db) => new StreamRepository(gw.pool).append(db, { tenantId: a.id, connectionId, captureId }, changes));
    const read = (query: string, key = a.apiKey) => gw.call('GET', `/v1/stream?connectionId=${connectionId}&${query}`, { key });

    const deletes = await read('op=delete&limit=4');
    expect(deletes.body.events.map((e: any) => e.recordId)).toEqual(['r_0', 'r_3', 'r_6', 'r_9']);
    const more = await read(`op=delete&limit=4&after=${deletes.body.next}`);
    expect(more.body.events.map((e: any) => e.recordId)).toEqual(['r_12', 'r_15', 'r_18', 'r_21']);
    expect((await read('recordIdContains=r_2&op=upsert')).body.events.map((e: any) => e.recordId)).toEqual(['r_2', 'r_20', 'r_22', 'r_23', 'r_25', 'r_26', 'r_28', 'r_29']);
    // LIKE's wildcards are only text: "_" matches an underscore, "%" nothing here.
    expect((await read('recordIdContains=%25')).body.events).toEqual([]);
    expect((await read('recordIdContains=_1')).body.events.map((e: any) => e.recordId)).toEqual(['r_1', ...Array.from({ length: 10 }, (_, i) => `r_1${i}`)]);
    const bad = await read('op=merge&recordIdContains=');
    expect(bad.body.error.fields.map((f: any) => f.field).sort()).toEqual(['op', 'recordIdContains']);
    expect((await read('op=delete', b.apiKey)).status).toBe(404);

    const capture = await gw.call('GET', `/v1/captures/${captureId}`, { key: a.apiKey });
    expect(capture.body.lastChangeAt).toBe('2026-01-01T00:29:00.000Z');
  });

  it('serves the built console at /console with a strict content security policy', async () => {
    const res = await fetch(`${gw.url}/console`);
    expect([200, 503]).toContain(res.status);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${gw.url}/console/assets/nothing.js`)).status).toBe(404);
  });
});

import { Client as PgClient } from 'pg';
import { seedConnection, seedLoad, startGateway, type TestGateway } from '../helpers/gateway';
import { startLoopbackServer, sendJson, type LoopbackServer } from '../helpers/loopback-server';
import { uniqueName } from '../helpers/stack';

// Tenant B attacks tenant A through the API: every key trick is a 401, every one of A's resources
// is a 404 (never told apart from "does not exist"), nothing of A's appears in B's answers, and
// A's canary secret appears in no answer and no table.
const CANARY = 'isolation-canary-5b2d40867f3a9c1e'; // no credential-looking shape: only the per-request scrubber can catch it

describe('tenant isolation and authentication', () => {
  let gw: TestGateway;
  let vendor: LoopbackServer;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  const ids: Record<string, string> = {};
  const answers: string[] = [];
  const answersToB: string[] = [];

  beforeAll(async () => {
    gw = await startGateway();
    // A vendor that echoes what it was sent (the Authorization header included) in its error body.
    vendor = await startLoopbackServer((req, res) => sendJson(res, 400, { error: { message: `bad request, you sent ${String(req.headers.authorization).replace(/^Bearer /, '')} to ${req.rawUrl}` } }));
    [a, b] = [await gw.createTenant(), await gw.createTenant()];
    const created = await gw.call('POST', '/v1/connections', {
      key: a.apiKey, body: { connector: 'stripe', name: 'a-stripe', credentials: { apiKey: CANARY }, config: { baseUrl: vendor.url } },
    });
    expect(created.status).toBe(201);
    ids.connection = created.body.id;
    ids.seeded = await seedConnection(gw.pool, a.id);
    ids.load = await seedLoad(gw.pool, a.id, ids.seeded, { status: 'completed', records: [{ status: 'created' }] });
    ids.capture = uniqueName('cp_a');
    await gw.pool.query(`INSERT INTO captures (id, tenant_id, connection_id, connector, object, interval_seconds, status, stopped_at)
      VALUES ($1, $2, $3, 'hubspot', 'contacts', 60, 'stopped', now())`, [ids.capture, a.id, ids.seeded]);
    ids.apiKey = (await gw.call('GET', '/v1/api-keys', { key: a.apiKey })).body.keys[0].id;
  });
  afterAll(async () => {
    await vendor?.stop();
    await gw?.close();
  });

  async function call(method: string, path: string, key: string | null, body?: unknown) {
    const res = await gw.call(method, path, { key, body });
    answers.push(res.text);
    if (key === b?.apiKey) answersToB.push(res.text);
    return res;
  }

  it('refuses every key that is not a live tenant key', async () => {
    const [, tenantId, secret] = a.apiKey.split('.');
    const forged = [null, '', 'Bearer', gw.config.FORGE_ADMIN_KEY!, `fwk.${b.id}.${secret}`, `fwk.${tenantId}.${'A'.repeat(43)}`,
      `fwk.${tenantId}.${secret}x`, a.apiKey.toUpperCase(), `${a.apiKey} ${a.apiKey}`, `fwk.${tenantId}`, 'fwk..', `fwk.tn_${'0'.repeat(20)}.${secret}`];
    for (const key of forged) {
      for (const path of ['/v1/connections', `/v1/connections/${ids.connection}`, '/v1/api-keys']) {
        const res = await call('GET', path, key);
        expect({ key, path, status: res.status }).toEqual({ key, path, status: 401 });
      }
    }
    expect((await call('POST', '/v1/tenants', a.apiKey, { name: 'escalate' })).status).toBe(401);
    expect((await call('POST', '/codec/decode', a.apiKey, { payloads: [] })).status).toBe(401);
  });

  it("answers 404 to every one of A's resources when B asks, and changes nothing", async () => {
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/v1/connections/${ids.connection}`], ['POST', `/v1/connections/${ids.connection}/test`],
      ['PUT', `/v1/connections/${ids.connection}/credentials`, { credentials: { apiKey: 'sk_test_takeover_000001' } }],
      ['DELETE', `/v1/connections/${ids.connection}`], ['GET', `/v1/loads/${ids.load}`], ['GET', `/v1/loads/${ids.load}/records`],
      ['POST', `/v1/loads/${ids.load}/cancel`], ['POST', `/v1/loads/${ids.load}/rollback`], ['GET', `/v1/captures/${ids.capture}`],
      ['POST', `/v1/captures/${ids.capture}/pause`], ['POST', `/v1/captures/${ids.capture}/resume`], ['DELETE', `/v1/captures/${ids.capture}`],
      ['GET', `/v1/stream?connectionId=${ids.seeded}`], ['DELETE', `/v1/api-keys/${ids.apiKey}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, b.apiKey, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    for (const [path, body] of [['/v1/loads', { connectionId: ids.seeded, object: 'contacts', operation: 'upsert', records: [{ email: 'x@y.z' }] }],
      ['/v1/captures', { connectionId: ids.seeded, object: 'contacts', intervalSeconds: 60 }]] as const) {
      const res = await call('POST', path, b.apiKey, body);
      expect({ path, status: res.status, fields: res.body.error.fields.map((f: { field: string }) => f.field) }).toEqual({ path, status: 400, fields: ['connectionId'] });
    }
    const bridge = await call('POST', '/v1/bridges', b.apiKey, { slackConnectionId: ids.seeded, slackChannel: 'C1', teamsConnectionId: ids.seeded, teamsChannel: 't/c' });
    expect(bridge.status).toBeGreaterThanOrEqual(400);
    expect(bridge.status).toBeLessThan(500);
    expect((await call('GET', '/v1/connections', b.apiKey)).body.connections).toEqual([]);
    // The lists the console reads: A's own, B's empty.
    for (const [path, list, own] of [['/v1/loads', 'loads', ids.load], ['/v1/captures', 'captures', ids.capture], ['/v1/bridges', 'bridges', null]] as const) {
      expect((await call('GET', path, b.apiKey)).body[list]).toEqual([]);
      if (own) expect((await call('GET', path, a.apiKey)).body[list].map((r: { id: string }) => r.id)).toContain(own);
    }
    // Nothing changed for A: its connection still tests with its own key, its API key still works.
    expect((await call('GET', `/v1/connections/${ids.connection}`, a.apiKey)).status).toBe(200);
    expect((await call('GET', `/v1/captures/${ids.capture}`, a.apiKey)).body.status).toBe('stopped');
    expect(answersToB.length).toBeGreaterThan(15);
    for (const text of answersToB) {
      expect(text).not.toMatch(/a-stripe|"connector"|127\.0\.0\.1/); // a 404 names the id asked for, never A's data
      expect(text).not.toContain(a.id);
    }
  });

  it("A's canary secret, echoed back by its vendor, appears in no answer and no table", async () => {
    const tested = await call('POST', `/v1/connections/${ids.connection}/test`, a.apiKey);
    expect(tested.body.ok).toBe(false);
    expect(tested.text).toMatch(/400/);
    await call('GET', `/v1/connections/${ids.connection}`, a.apiKey);
    await call('GET', '/v1/connections', a.apiKey);
    for (const text of answers) expect(text).not.toContain(CANARY);
    const db = new PgClient({ connectionString: gw.config.DATABASE_URL });
    await db.connect();
    try {
      const tables = (await db.query<{ t: string }>(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'connection_credentials'")).rows.map((r) => r.t);
      for (const t of tables) {
        const { rows } = await db.query(`SELECT count(*) AS n FROM "${t}" WHERE "${t}"::text LIKE $1`, [`%${CANARY}%`]);
        expect({ table: t, rows: Number(rows[0].n) }).toEqual({ table: t, rows: 0 });
      }
    } finally {
      await db.end();
    }
  });
});

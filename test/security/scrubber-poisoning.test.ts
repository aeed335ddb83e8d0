import { startGateway, seedConnection, type TestGateway } from '../helpers/gateway';
import { startLoopbackServer, sendJson, type LoopbackServer } from '../helpers/loopback-server';
import { uniqueName } from '../helpers/stack';

// Tenant A stores credentials chosen to poison a process-wide scrubber ("null", "system", JSON
// syntax, thousands of values) and gets them read (POST /test). Tenant B must not notice: its
// captures with a null cursor still answer 200, its responses are not mangled, nothing is slow.
describe('scrubber poisoning by one tenant does not reach another', () => {
  let gw: TestGateway;
  let vendor: LoopbackServer;
  let attacker: { id: string; apiKey: string };
  let victim: { id: string; apiKey: string };

  beforeAll(async () => {
    gw = await startGateway();
    vendor = await startLoopbackServer((_req, res) => sendJson(res, 401, { error: { message: 'Invalid API Key provided' } }));
    [attacker, victim] = [await gw.createTenant(), await gw.createTenant()];
  });
  afterAll(async () => {
    await vendor?.stop();
    await gw?.close();
  });

  async function seedCapture(tenantId: string, connectionId: string, cursor: unknown): Promise<string> {
    const id = uniqueName('cp_seed');
    await gw.pool.query(
      `INSERT INTO captures (id, tenant_id, connection_id, connector, object, interval_seconds, status, cursor, stopped_at)
       VALUES ($1, $2, $3, 'hubspot', 'contacts', 60, 'stopped', $4, now())`, [id, tenantId, connectionId, JSON.stringify(cursor)]);
    return id;
  }

  it("another tenant's poisoned credentials change nothing in my answers", async () => {
    const poison: Record<string, string> = { apiKey: 'sk_test_attacker_000000000001', a: 'null', b: 'system', c: '"', d: 'true', e: '{', f: 'cursor', g: 'status' };
    for (let i = 0; i < 50; i++) poison[`k${i}`] = `poison-value-${i}`;
    const created = await gw.call('POST', '/v1/connections', {
      key: attacker.apiKey, body: { connector: 'stripe', name: uniqueName('poison'), credentials: poison, config: { baseUrl: vendor.url } },
    });
    expect({ status: created.status, body: created.body }).toEqual({ status: 201, body: { id: expect.any(String) } });
    const tested = await gw.call('POST', `/v1/connections/${created.body.id}/test`, { key: attacker.apiKey });
    expect(tested.status).toBe(200);
    expect(tested.body.ok).toBe(false);

    const victimConnection = await seedConnection(gw.pool, victim.id);
    const withNullCursor = await seedCapture(victim.id, victimConnection, null);
    const withCursor = await seedCapture(victim.id, victimConnection, { status: 'system', after: 'cursor', n: null, quote: 'password=a"b' });

    const started = Date.now();
    const a = await gw.call('GET', `/v1/captures/${withNullCursor}`, { key: victim.apiKey });
    expect({ status: a.status, cursor: a.body?.cursor }).toEqual({ status: 200, cursor: null });
    const b = await gw.call('GET', `/v1/captures/${withCursor}`, { key: victim.apiKey });
    expect(b.status).toBe(200);
    expect(b.body.cursor).toMatchObject({ status: 'system', after: 'cursor', n: null });
    const list = await gw.call('GET', '/v1/connections', { key: victim.apiKey });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('[redacted]');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

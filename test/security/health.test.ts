import { startGateway, seedConnection, type TestGateway } from '../helpers/gateway';
import { testStack } from '../helpers/stack';

// /health is unauthenticated: it says whether the parts are up, and nothing about tenants,
// connections, addresses or errors. The admin key sees the details.
describe('/health tells nothing to strangers', () => {
  let gw: TestGateway;
  beforeAll(async () => { gw = await startGateway(); });
  afterAll(async () => { await gw?.close(); });

  it('answers status only, without ids, addresses or error texts', async () => {
    const tenant = await gw.createTenant();
    const connectionId = await seedConnection(gw.pool, tenant.id);
    // A credential read that fails leaves a "last error" naming the tenant and connection in the store.
    await gw.call('POST', `/v1/connections/${connectionId}/test`, { key: tenant.apiKey });
    const res = await gw.call('GET', '/health');
    expect([200, 503]).toContain(res.status);
    expect(res.body.status).toMatch(/^(ok|degraded)$/);
    for (const secretish of [tenant.id, connectionId, testStack().vault.address ?? 'no-vault', gw.config.DATABASE_URL, '127.0.0.1']) {
      expect(res.text).not.toContain(secretish);
    }
    const detailed = await gw.call('GET', '/health', { key: gw.config.FORGE_ADMIN_KEY });
    expect(detailed.body.postgres.detail).toMatch(/^postgres \d+/);
    const asTenant = await gw.call('GET', '/health', { key: tenant.apiKey });
    expect(asTenant.body.postgres.detail).toBeUndefined();
  });
});

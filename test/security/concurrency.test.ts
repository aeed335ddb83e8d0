import { startGateway, type TestGateway } from '../helpers/gateway';
import { uniqueName } from '../helpers/stack';

// Many tenants' requests at once must neither deadlock the gateway's pool nor answer 5xx.
describe('concurrency', () => {
  let gw: TestGateway;
  let tenant: { id: string; apiKey: string };
  beforeAll(async () => {
    gw = await startGateway();
    tenant = await gw.createTenant();
  });
  afterAll(async () => {
    await Promise.race([gw?.close(), new Promise((r) => setTimeout(r, 5000))]);
  });

  async function timed(method: string, path: string, body?: unknown): Promise<number | 'timeout'> {
    try {
      const res = await fetch(`${gw.url}${path}`, {
        method, signal: AbortSignal.timeout(15_000),
        headers: { authorization: `Bearer ${tenant.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      await res.text();
      return res.status;
    } catch {
      return 'timeout';
    }
  }

  it('40 concurrent connection creations and reads all answer, none 5xx (the pool never deadlocks)', async () => {
    const creations = Array.from({ length: 40 }, () => timed('POST', '/v1/connections', {
      connector: 'stripe', name: uniqueName('many'), credentials: { apiKey: `sk_test_${uniqueName('k')}` }, config: { baseUrl: 'https://api.stripe.com' },
    }));
    const reads = Array.from({ length: 10 }, () => timed('GET', '/v1/connections'));
    const statuses = await Promise.all([...creations, ...reads]);
    expect(statuses.filter((s) => s === 'timeout').length).toBe(0);
    expect(statuses.slice(0, 40).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(40).every((s) => s === 200)).toBe(true);
    // And the gateway still answers afterwards.
    expect(await timed('GET', '/v1/connections')).toBe(200);
  });
});

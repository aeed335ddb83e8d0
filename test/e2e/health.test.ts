import type { INestApplication } from '@nestjs/common';
import { createGateway } from '../../src/gateway/create-app';
import { freePort } from '../../scripts/services/free-port';
import { testConfig, testStack } from '../helpers/stack';

async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

describe('GET /health', () => {
  it('reports Temporal, Postgres and Vault up (details for the admin key)', async () => {
    // Whether each part reports up, not how fast: a loaded machine may take seconds for the first connect.
    const config = testConfig({ FORGE_HEALTH_TIMEOUT_MS: 30_000 });
    const app = await createGateway(config);
    try {
      const res = await fetch(`${await listen(app)}/health`, { headers: { authorization: `Bearer ${config.FORGE_ADMIN_KEY}` } });
      const body = (await res.json()) as any;
      expect({ status: res.status, body: body.status }).toEqual({ status: 200, body: 'ok' });
      expect(body.temporal.status).toBe('up');
      expect(body.postgres).toMatchObject({ status: 'up', detail: expect.stringMatching(/^postgres \d+/) });
      expect(body.vault.status).toBe(testStack().vault.address ? 'up' : 'disabled');
      expect(body.credentialStore).toBeDefined();
      expect(JSON.stringify(body.credentialStore)).not.toMatch(/token|secret/i);
    } finally {
      await app.close();
    }
  });

  it('answers 503 and names the part that is down', async () => {
    const deadPort = await freePort();
    const app = await createGateway(testConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${deadPort}` }));
    try {
      const res = await fetch(`${await listen(app)}/health`);
      const body = (await res.json()) as any;
      expect(res.status).toBe(503);
      expect(body.status).toBe('degraded');
      expect(body.temporal.status).toBe('down');
      expect(body.postgres.status).toBe('up');
    } finally {
      await app.close();
    }
  });

  it('serves the OpenAPI document at /docs', async () => {
    const app = await createGateway(testConfig());
    try {
      const res = await fetch(`${await listen(app)}/docs/openapi.json`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { paths: Record<string, unknown> }).paths['/health']).toBeDefined();
    } finally {
      await app.close();
    }
  });
});

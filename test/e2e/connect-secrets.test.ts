import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { startProcess, untilReady, type ManagedProcess } from '../../scripts/services/child';
import { freePort, waitForPort } from '../../scripts/services/free-port';
import { startHubspotSandbox } from '../../sandboxes/hubspot';
import type { RunningSandbox } from '../../sandboxes/kit';
import { answerConsent, openCallback } from '../helpers/consent-page';
import { testConfig, uniqueName } from '../helpers/stack';

// A gateway process configured as in production (FORGE_OAUTH_HUBSPOT_CLIENT_ID/_SECRET, debug
// logs to a file): after connects that succeed, are denied, replayed, or fail at the token
// endpoint, the OAuth app's canary secret, the codes and the refresh token appear in no page, no
// API answer, no log line and no database column outside the encrypted credential store.
jest.setTimeout(120_000);

const CANARY_SECRET = 'canary-oauth-secret-5e1b7c9d2a4f6038';

describe('connect flows never leak secrets', () => {
  let hubspot: RunningSandbox;
  let gateway: ManagedProcess;
  let url: string;
  let apiKey: string;
  const logFile = path.join(os.tmpdir(), `forge-connect-gateway-${process.pid}.log`);
  const config = testConfig();

  beforeAll(async () => {
    hubspot = await startHubspotSandbox({ clientSecret: CANARY_SECRET });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const root = path.join(__dirname, '..', '..');
    gateway = startProcess('connect-gateway', path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'src', 'main.ts')], logFile, {
      ...process.env,
      DATABASE_URL: config.DATABASE_URL, TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS, FORGE_MASTER_KEY_FILE: config.FORGE_MASTER_KEY_FILE!,
      ...(config.VAULT_ADDR ? { VAULT_ADDR: config.VAULT_ADDR, VAULT_TOKEN: config.VAULT_TOKEN! } : {}),
      FORGE_ADMIN_KEY: config.FORGE_ADMIN_KEY!, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'debug', FORGE_EGRESS_ALLOW: '127.0.0.1',
      FORGE_OAUTH_HUBSPOT_CLIENT_ID: hubspot.credentials().credentials.clientId as string, FORGE_OAUTH_HUBSPOT_CLIENT_SECRET: CANARY_SECRET,
    });
    await untilReady(gateway, waitForPort(port, 60_000));
    const tenant = await fetch(`${url}/v1/tenants`, {
      method: 'POST', headers: { authorization: `Bearer ${config.FORGE_ADMIN_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: uniqueName('tenant') }),
    });
    apiKey = ((await tenant.json()) as { apiKey: string }).apiKey;
  });
  afterAll(async () => {
    await gateway?.stop();
    await hubspot?.stop();
    fs.rmSync(logFile, { force: true });
  });

  it('in pages, answers, logs and database rows', async () => {
    const seen: string[] = [];
    const codes: string[] = [];
    const api = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      seen.push(text);
      return { status: res.status, body: JSON.parse(text) as Record<string, string> };
    };
    const connect = async (decision: 'allow' | 'deny', tamper?: (callback: URL) => void) => {
      const session = await api('POST', '/v1/connect/sessions', { connector: 'hubspot', name: uniqueName('hs'), config: hubspot.credentials().config });
      expect(session.status).toBe(201);
      const location = await answerConsent(session.body.authorizationUrl!, decision);
      const code = location.searchParams.get('code');
      if (code) codes.push(code);
      tamper?.(location);
      const page = await openCallback(location);
      seen.push(page.html);
      return { session: (await api('GET', `/v1/connect/sessions/${session.body.id}`)).body, location, page };
    };

    const connected = await connect('allow');
    expect(connected.session.status).toBe('connected');
    const replay = await openCallback(connected.location);
    seen.push(replay.html);
    expect(replay.status).toBe(400);
    expect((await connect('deny')).session.status).toBe('denied');
    const badCode = await connect('allow', (callback) => callback.searchParams.set('code', `${callback.searchParams.get('code')}-tampered`));
    expect(badCode.session).toMatchObject({ status: 'failed', error: expect.stringContaining('BAD_AUTH_CODE') });
    expect((await api('POST', `/v1/connections/${connected.session.connectionId}/test`)).body).toEqual({ ok: true });
    await api('GET', '/v1/connections');

    const refreshToken = hubspot.credentials().credentials.refreshToken as string;
    const canaries = [CANARY_SECRET, refreshToken, ...codes];
    expect(codes.length).toBe(2);
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).toContain('connect session connected');
    expect(log).toContain('connect session failed');

    const db = new PgClient({ connectionString: config.DATABASE_URL });
    await db.connect();
    try {
      const rows = await db.query<{ t: string }>('SELECT connect_sessions::text AS t FROM connect_sessions UNION ALL SELECT connections::text FROM connections');
      for (const canary of canaries) {
        expect(seen.filter((text) => text.includes(canary))).toEqual([]);
        expect(log.includes(canary)).toBe(false);
        expect(rows.rows.filter((r) => r.t.includes(canary))).toEqual([]);
      }
    } finally {
      await db.end();
    }
  });
});

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createDemo, type Demo } from '../../scripts/dev/demo';
import { demoSteps, firstLoadCommand } from '../../scripts/dev/next-steps';
import { sandboxEnv, startAllSandboxes, type DevSandbox } from '../../scripts/dev/sandboxes';
import { sandboxes as registry } from '../../sandboxes/registry';
import { createGateway } from '../../src/gateway/create-app';
import { startWorker, type RunningWorker } from '../../src/worker';
import { testConfig } from '../helpers/stack';
import { cleanEnv, forge } from '../cli/forge-process';

// `npm run dev -- --sandboxes`, minus the processes: every sandbox of the registry, a demo tenant
// and one connection per system made through the REST API, and each first load it offers must run
// to completion as printed.
jest.setTimeout(180_000);

describe('npm run dev -- --sandboxes: the demo', () => {
  const config = testConfig({ FORGE_ADMIN_KEY: `admin-${crypto.randomBytes(12).toString('hex')}` });
  let app: INestApplication;
  let worker: RunningWorker;
  let gatewayUrl: string;
  let sandboxes: DevSandbox[] = [];
  let demo: Demo;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-demo-'));

  beforeAll(async () => {
    app = await createGateway(config);
    await app.listen(0, '127.0.0.1');
    gatewayUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await startWorker(config);
    sandboxes = await startAllSandboxes(config.DATABASE_URL);
    demo = await createDemo({ gatewayUrl, adminKey: config.FORGE_ADMIN_KEY!, sandboxes, dir: path.join(dir, 'demo') });
  });
  afterAll(async () => {
    await worker?.shutdown().catch(() => {});
    await app?.close();
    await Promise.all(sandboxes.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: string, p: string, body?: unknown) => {
    const key = fs.readFileSync(demo.apiKeyFile, 'utf8').trim();
    const res = await fetch(`${gatewayUrl}${p}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() as any };
  };

  it('starts a sandbox for every system of the registry and connects each one', () => {
    expect(sandboxes.map((s) => s.system)).toEqual(Object.keys(registry));
    expect(demo.connections.map((c) => c.system)).toEqual(Object.keys(registry));
    for (const c of demo.connections) {
      expect(c.error).toBeUndefined();
      expect(c.connectionId).toMatch(/\S/);
      expect(c.connectionBody).toMatchObject({ connector: c.system, name: `${c.system}-sandbox` });
    }
    expect(fs.statSync(demo.apiKeyFile).mode & 0o077).toBe(0);
  });

  it('tells the worker and gateway where the sandboxes are, and the host the egress allowlist must admit', () => {
    const env = sandboxEnv(sandboxes);
    expect(env.FORGE_SANDBOX_URLS.split(',')).toEqual(sandboxes.map((s) => `${s.system}=${s.url}`));
    expect(env.FORGE_EGRESS_ALLOW).toBe('127.0.0.1'); // hosts or addresses, no ports
    // Each sandbox's OAuth app is the platform's, for connect flows (POST /v1/connect/sessions) in dev.
    const hubspot = sandboxes.find((s) => s.system === 'hubspot');
    expect(hubspot?.oauthClient).toBeDefined();
    expect(env.FORGE_OAUTH_HUBSPOT_CLIENT_ID).toBe(hubspot?.oauthClient?.clientId);
    expect(env.FORGE_OAUTH_HUBSPOT_CLIENT_SECRET).toBe(hubspot?.oauthClient?.clientSecret);
  });

  it('prints, per system, the connection body, its id and the first load as a forge command on the saved file', () => {
    const text = demoSteps('http://127.0.0.1:3000', demo);
    for (const c of demo.connections) {
      expect(text).toContain(`${c.system}: sandbox ${c.sandboxUrl}, connection ${c.connectionId}`);
      expect(text).toContain(`POST /v1/connections ${JSON.stringify(c.connectionBody)}`);
      expect(text).toContain(firstLoadCommand(c.system, c.load!));
      expect(path.basename(c.loadFile!)).toBe(`${c.system}-load.ndjson`);
    }
  });

  it('answers each connection test with ok', async () => {
    for (const c of demo.connections) {
      const res = await api('POST', `/v1/connections/${c.connectionId}/test`);
      expect({ system: c.system, body: res.body }).toEqual({ system: c.system, body: { ok: true } });
    }
  });

  it("runs every system's first load to completion with the printed forge command", async () => {
    const env = cleanEnv({ FORGE_URL: gatewayUrl, FORGE_API_KEY: fs.readFileSync(demo.apiKeyFile, 'utf8').trim(), FORGE_CONFIG: path.join(dir, 'none.json') });
    const outcomes = await Promise.all(demo.connections.map(async (c) => {
      // The printed command, with the file where this test's demo wrote it, and --yes --json for a script.
      const args = firstLoadCommand(c.system, c.load!).replace(/\\\n/g, ' ').trim().split(/\s+/).slice(2);
      args[1] = c.loadFile!;
      const run = await forge([...args, '--yes', '--json'], env);
      const load = run.code === 0 ? run.json().load : undefined;
      return { system: c.system, code: run.code, stderr: run.stderr, status: load?.status, failed: load?.counts.failed, verified: load?.counts.verified,
        expected: { status: 'completed', failed: 0, verified: c.load!.records.length } };
    }));
    for (const o of outcomes) {
      expect({ system: o.system, code: o.code, stderr: o.code === 0 ? '' : o.stderr, status: o.status, failed: o.failed, verified: o.verified })
        .toEqual({ system: o.system, code: 0, stderr: '', ...o.expected });
    }
  });
});

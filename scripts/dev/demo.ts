import fs from 'node:fs';
import path from 'node:path';
import { findConnector } from '../../src/connectors/registry';
import { demoLoadFor, type DemoLoad } from './demo-loads';
import type { DevSandbox } from './sandboxes';

/** A demo tenant with one connection per sandbox, made through the REST API like a user would. */
export interface DemoConnection {
  system: string;
  sandboxUrl: string;
  /** The POST /v1/connections body that created it (sandbox credentials: throwaway values). */
  connectionBody: Record<string, unknown>;
  connectionId?: string;
  /** Why the connection could not be made, when it could not. */
  error?: string;
  load?: DemoLoad;
  /** The first load's records, one JSON object per line, for `forge load` (absolute path). */
  loadFile?: string;
}

export interface Demo {
  tenantId: string;
  tenantName: string;
  /** The demo tenant's API key, kept in this file (0600) for the printed commands. */
  apiKeyFile: string;
  connections: DemoConnection[];
}

/** A JSON answer, read loosely: the fields used here are checked where they are used. */
interface Answer { status: number; body: Record<string, unknown> | undefined }

async function call(url: string, init: { method: string; key?: string; body?: unknown }): Promise<Answer> {
  const res = await fetch(url, {
    method: init.method,
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  let body: Record<string, unknown> | undefined;
  try { body = text ? JSON.parse(text) as Record<string, unknown> : undefined; } catch { body = { text }; }
  return { status: res.status, body };
}

function writePrivate(file: string, content: string): void {
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

function describeFailure(res: Answer): string {
  const error = res.body?.error as { code?: string; message?: string } | undefined;
  return error ? `${res.status} ${error.code ?? ''}: ${error.message ?? ''}`.trim() : `${res.status} ${JSON.stringify(res.body)}`;
}

export async function createDemo(opts: { gatewayUrl: string; adminKey: string; sandboxes: DevSandbox[]; dir: string;
  now?: Date }): Promise<Demo> {
  fs.rmSync(opts.dir, { recursive: true, force: true });
  fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const tenantName = `demo-${stamp}`;
  const tenant = await call(`${opts.gatewayUrl}/v1/tenants`, { method: 'POST', key: opts.adminKey, body: { name: tenantName } });
  if (tenant.status !== 201) throw new Error(`could not create the demo tenant: ${describeFailure(tenant)}`);
  const apiKey = String(tenant.body?.apiKey);
  const apiKeyFile = path.join(opts.dir, 'api.key');
  writePrivate(apiKeyFile, `${apiKey}\n`);

  const connections: DemoConnection[] = [];
  for (const sandbox of opts.sandboxes) {
    const served = await call(`${sandbox.url}/__sandbox/credentials`, { method: 'GET' });
    const connectionBody = { connector: sandbox.system, name: `${sandbox.system}-sandbox`,
      credentials: served.body?.credentials, config: served.body?.config };
    writePrivate(path.join(opts.dir, `${sandbox.system}-connection.json`), `${JSON.stringify(connectionBody, null, 2)}\n`);
    const created = await call(`${opts.gatewayUrl}/v1/connections`, { method: 'POST', key: apiKey, body: connectionBody });
    if (created.status !== 201) {
      connections.push({ system: sandbox.system, sandboxUrl: sandbox.url, connectionBody, error: describeFailure(created) });
      continue;
    }
    const connectionId = String(created.body?.id);
    const definition = findConnector(sandbox.system);
    const load = definition ? demoLoadFor(definition) : undefined;
    let loadFile: string | undefined;
    if (load) {
      if (load.seed) await call(`${sandbox.url}/__sandbox/seed`, { method: 'POST', body: load.seed });
      loadFile = path.join(opts.dir, `${sandbox.system}-load.ndjson`);
      writePrivate(loadFile, load.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    }
    connections.push({ system: sandbox.system, sandboxUrl: sandbox.url, connectionBody, connectionId, load, loadFile });
  }
  return { tenantId: String(tenant.body?.id), tenantName, apiKeyFile, connections };
}

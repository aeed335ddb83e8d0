import crypto from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { createGateway } from '../../src/gateway/create-app';
import type { AppConfig } from '../../src/platform/config';
import { startWorker, type RunningWorker } from '../../src/worker';
import { findSandbox } from '../../sandboxes/registry';
import { startSandbox } from '../../sandboxes/kit';
import { temporalDataConverter } from '../../src/platform/temporal-codec';
import { testConfig } from './stack';

export interface ApiResponse { status: number; body: any }

/**
 * The whole product for an end-to-end test: a system's sandbox, the gateway and a worker on the
 * real test stack, a tenant with an API key and a connection to the sandbox.
 */
export interface LoadHarness {
  config: AppConfig;
  sandbox: HarnessSandbox;
  gatewayUrl: string;
  apiKey: string;
  tenantId: string;
  connectionId: string;
  temporal: Client;
  worker: RunningWorker | null;
  api(method: string, path: string, body?: unknown, key?: string): Promise<ApiResponse>;
  admin(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** Polls GET /v1/loads/:id every `intervalMs` (150 unless told) until its status is one of `statuses` (or the deadline passes). */
  waitForLoad(id: string, statuses: string[], timeoutMs?: number, intervalMs?: number): Promise<any>;
  allRecords(loadId: string, status?: string): Promise<any[]>;
  startWorker(): Promise<RunningWorker>;
  stop(): Promise<void>;
}

async function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const res = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The sandbox the harness talks to: its admin API is under `${url}/__sandbox/`. */
export interface HarnessSandbox {
  url: string;
  stop(): Promise<void>;
}

export interface LoadHarnessOptions {
  worker?: boolean;
  sandbox?: Record<string, unknown>;
  /** A sandbox already running (in a process of its own, for the bench) instead of one started here. */
  external?: HarnessSandbox;
  /**
   * The connection's own request limits. By default a sandbox that enforces no limit gets a
   * connection declaring none ([]), and one started with enforceRateLimit keeps the connector's.
   */
  rateLimits?: Array<{ requests: number; perSeconds: number; burst?: number }> | null;
  /** Settings of the gateway and worker other than the test stack's defaults. */
  config?: Partial<AppConfig>;
  /** Merged into the connection's config (the sandbox's own): a mode of the connector (Salesforce's changeDataCapture). */
  connectionConfig?: Record<string, unknown>;
  /** The gateway knows the sandbox's OAuth app (as FORGE_OAUTH_<SYSTEM>_CLIENT_* would say), so connect flows work. */
  oauthClient?: boolean;
}

export async function startLoadHarness(system: string, opts: LoadHarnessOptions = {}): Promise<LoadHarness> {
  const config = testConfig({ FORGE_ADMIN_KEY: `admin-${crypto.randomBytes(12).toString('hex')}`, ...opts.config });
  const definition = findSandbox(system);
  if (!definition) throw new Error(`no sandbox for ${system}`);
  const sandbox: HarnessSandbox = opts.external ?? await startSandbox(definition(), { ...opts.sandbox });
  if (opts.oauthClient) {
    const { credentials: app } = (await call(`${sandbox.url}/__sandbox/credentials`, 'GET')).body as { credentials: { clientId: string; clientSecret: string } };
    config.oauthClients = { [system]: { clientId: app.clientId, clientSecret: app.clientSecret } };
  }
  const app: INestApplication = await createGateway(config);
  await app.listen(0, '127.0.0.1');
  const gatewayUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, dataConverter: temporalDataConverter(config) });
  const workers: RunningWorker[] = [];

  const tenant = await call(`${gatewayUrl}/v1/tenants`, 'POST', { name: `tenant-${crypto.randomBytes(3).toString('hex')}` },
    { authorization: `Bearer ${config.FORGE_ADMIN_KEY}` });
  if (tenant.status !== 201) throw new Error(`tenant creation failed: ${JSON.stringify(tenant.body)}`);
  const apiKey: string = tenant.body.apiKey;
  const { api, waitForLoad } = gatewayClient(gatewayUrl, apiKey);
  const admin = (method: string, path: string, body?: unknown) => call(`${sandbox.url}/__sandbox/${path}`, method, body);

  const { credentials, config: connectionConfig } = (await admin('GET', 'credentials')).body;
  const rateLimits = opts.rateLimits !== undefined ? opts.rateLimits : (opts.sandbox?.enforceRateLimit ? null : []);
  const created = await api('POST', '/v1/connections', {
    connector: system, name: `${system}-sandbox`, credentials, config: { ...connectionConfig, ...opts.connectionConfig }, ...(rateLimits ? { rateLimits } : {}),
  });
  if (created.status !== 201) throw new Error(`connection creation failed: ${JSON.stringify(created.body)}`);

  const harness: LoadHarness = {
    config, sandbox, gatewayUrl, apiKey, tenantId: tenant.body.id, connectionId: created.body.id, temporal, worker: null, api, admin,
    waitForLoad,
    async allRecords(loadId, status) {
      const out: any[] = [];
      let after: string | undefined;
      for (;;) {
        const q = new URLSearchParams({ limit: '1000', ...(status ? { status } : {}), ...(after ? { after } : {}) });
        const page = await api('GET', `/v1/loads/${loadId}/records?${q}`);
        if (page.status !== 200) throw new Error(`records listing failed: ${JSON.stringify(page.body)}`);
        out.push(...page.body.records);
        if (!page.body.next) return out;
        after = String(page.body.next);
      }
    },
    async startWorker() {
      const worker = await startWorker(config);
      workers.push(worker);
      harness.worker = worker;
      return worker;
    },
    async stop() {
      for (const w of workers) await w.shutdown().catch(() => {});
      await app.close();
      await connection.close();
      await sandbox.stop();
    },
  };
  if (opts.worker !== false) await harness.startWorker();
  return harness;
}

/** A tenant's calls to a gateway at `gatewayUrl`: the harness's own, or one in another process. */
export function gatewayClient(gatewayUrl: string, apiKey: string): Pick<LoadHarness, 'api' | 'waitForLoad'> {
  const api = (method: string, path: string, body?: unknown, key = apiKey) =>
    call(`${gatewayUrl}${path}`, method, body, { authorization: `Bearer ${key}` });
  return {
    api,
    async waitForLoad(id, statuses, timeoutMs = 120_000, intervalMs = 150) {
      const deadline = Date.now() + timeoutMs;
      let last: any;
      while (Date.now() < deadline) {
        last = (await api('GET', `/v1/loads/${id}`)).body;
        if (statuses.includes(last?.status)) return last;
        await new Promise((r) => setTimeout(r, intervalMs));
      }
      throw new Error(`load ${id} did not reach ${statuses.join('|')} within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    },
  };
}

/** The environment a worker process (`tsx src/worker.ts`) needs to join the harness's stack. */
export function workerProcessEnv(config: AppConfig): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: config.DATABASE_URL, TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: config.TEMPORAL_TASK_QUEUE, FORGE_MASTER_KEY_FILE: config.FORGE_MASTER_KEY_FILE!,
    FORGE_EGRESS_ALLOW: config.FORGE_EGRESS_ALLOW, LOG_LEVEL: 'warn',
    ...(config.VAULT_ADDR ? { VAULT_ADDR: config.VAULT_ADDR, VAULT_TOKEN: config.VAULT_TOKEN! } : {}),
  };
}

/** The live records of one object in a sandbox: id → writable properties (archived ones left out). */
export async function liveRecords(h: LoadHarness, object: string, ignore: string[] = []): Promise<Record<string, Record<string, unknown>>> {
  const state = (await h.admin('GET', 'state')).body;
  const out: Record<string, Record<string, unknown>> = {};
  for (const rec of state.objects[object] ?? []) {
    if (rec.archived) continue;
    const props = { ...(rec.properties ?? rec) };
    for (const f of ignore) delete props[f];
    out[String(rec.id)] = props;
  }
  return out;
}

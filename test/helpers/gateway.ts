import type { INestApplication } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { findConnector } from '../../src/connectors/registry';
import { createGateway } from '../../src/gateway/create-app';
import { PG_POOL, TEMPORAL_CLIENT } from '../../src/gateway/tokens';
import type { AppConfig } from '../../src/platform/config';
import type { LoadOptions, LoadStatus } from '../../src/platform/db/repositories/loads';
import type { RunningSandbox } from '../../sandboxes/kit';
import { startSandbox } from '../../sandboxes/kit';
import { findSandbox } from '../../sandboxes/registry';
import { testConfig, uniqueName } from './stack';

export interface ApiAnswer {
  status: number;
  body: any;
  /** The raw body text: for "this value never appears" checks. */
  text: string;
}

export interface TestGateway {
  app: INestApplication;
  url: string;
  config: AppConfig;
  pool: Pool;
  temporal: Client;
  /** Calls the gateway; `key` null sends no Authorization header. */
  call(method: string, path: string, options?: { key?: string | null; body?: unknown; rawBody?: string }): Promise<ApiAnswer>;
  createTenant(): Promise<{ id: string; apiKey: string }>;
  close(): Promise<void>;
}

/** The gateway on a free loopback port against the test stack. */
export async function startGateway(overrides: Partial<AppConfig> = {}): Promise<TestGateway> {
  const config = testConfig(overrides);
  const app = await createGateway(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const call: TestGateway['call'] = async (method, path, { key = null, body, rawBody } = {}) => {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, text };
  };
  return {
    app, url, config, call,
    pool: app.get<Pool>(PG_POOL),
    temporal: app.get<Client>(TEMPORAL_CLIENT),
    createTenant: async () => {
      const res = await call('POST', '/v1/tenants', { key: config.FORGE_ADMIN_KEY, body: { name: uniqueName('tenant') } });
      if (res.status !== 201) throw new Error(`tenant creation answered ${res.status}: ${res.text}`);
      return res.body as { id: string; apiKey: string };
    },
    close: () => app.close(),
  };
}

/**
 * A connection row written straight to the database, without credentials: for tests of scoping and
 * state rules that must not depend on any connector being installed.
 */
export async function seedConnection(pool: Pool, tenantId: string, connector = 'hubspot'): Promise<string> {
  const id = uniqueName('cn_seed');
  await pool.query('INSERT INTO connections (id, tenant_id, connector, name, config) VALUES ($1, $2, $3, $4, $5)',
    [id, tenantId, connector, uniqueName('seeded'), JSON.stringify({ region: 'eu' })]);
  return id;
}

export interface SeededLoad {
  status?: LoadStatus;
  options?: Partial<LoadOptions>;
  rollbackUntil?: Date | null;
  /** Each record's status (and optional plan action); keys are `key-<index>`. */
  records?: Array<{ status: string; verified?: boolean; planAction?: string; errors?: Array<{ field: string; message: string }> }>;
}

/** A load as the workflow's activities would have left it (the workflow itself is not under test here). */
export async function seedLoad(pool: Pool, tenantId: string, connectionId: string, seed: SeededLoad = {}): Promise<string> {
  const id = uniqueName('ld_seed');
  const records = seed.records ?? [];
  const options: LoadOptions = { dryRun: false, verify: true, onError: 'rollback', rollbackWindowSeconds: 86400, ...seed.options };
  await pool.query(
    `INSERT INTO loads (id, tenant_id, connection_id, connector, object, operation, natural_key, options, status,
       chunk_size, chunk_count, record_count, rollback_until)
     VALUES ($1, $2, $3, 'hubspot', 'contacts', 'upsert', 'email', $4, $5, 100, $6, $7, $8)`,
    [id, tenantId, connectionId, JSON.stringify(options), seed.status ?? 'pending', Math.ceil(records.length / 100),
      records.length, seed.rollbackUntil ?? null],
  );
  for (const [idx, r] of records.entries()) {
    await pool.query(
      `INSERT INTO load_records (load_id, idx, chunk, record_key, data, status, verified, plan, errors)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, idx, Math.floor(idx / 100), `key-${idx}`, JSON.stringify({ email: `key-${idx}` }), r.status, r.verified ?? false,
        r.planAction ? JSON.stringify({ action: r.planAction }) : null, r.errors ? JSON.stringify(r.errors) : null],
    );
  }
  // The chunk counts the saga writes in the same statement as its records.
  await pool.query(
    `INSERT INTO load_chunk_counts
     SELECT load_id, chunk, count(*) FILTER (WHERE status = 'created'), count(*) FILTER (WHERE status = 'updated'),
            count(*) FILTER (WHERE status = 'deleted'), count(*) FILTER (WHERE status = 'unchanged'),
            count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE verified),
            count(*) FILTER (WHERE status = 'rolled_back'), count(*) FILTER (WHERE status = 'rollback_failed'),
            count(*) FILTER (WHERE plan->>'action' = 'create'), count(*) FILTER (WHERE plan->>'action' = 'update'),
            count(*) FILTER (WHERE plan->>'action' = 'delete'), count(*) FILTER (WHERE plan->>'action' = 'unchanged')
       FROM load_records WHERE load_id = $1 GROUP BY load_id, chunk`, [id]);
  return id;
}

export interface ConnectorSandbox {
  sandbox: RunningSandbox;
  /** Credentials and config the sandbox accepts, in the connector's own shapes. */
  credentials: Record<string, string>;
  config: Record<string, unknown>;
  /** POST /v1/connections for this system; fails the test unless it answers 201. */
  createConnection(gw: TestGateway, apiKey: string, credentials?: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A connector's sandbox and a way to connect to it through the gateway. Fails with a clear message
 * when the connector or its sandbox is not registered (the success paths need a real connector).
 */
export async function startConnectorSandbox(system: string): Promise<ConnectorSandbox> {
  if (!findConnector(system)) {
    throw new Error(`the ${system} connector is not registered: add it to src/connectors/registry.ts (findConnector('${system}') returned undefined)`);
  }
  const definition = findSandbox(system);
  if (!definition) throw new Error(`no ${system} sandbox in sandboxes/registry.ts`);
  const sandbox = await startSandbox(definition());
  const valid = (await (await fetch(`${sandbox.url}/__sandbox/credentials`)).json()) as { credentials: Record<string, string>; config: Record<string, unknown> };
  return {
    sandbox,
    credentials: valid.credentials,
    config: valid.config,
    async createConnection(gw, apiKey, credentials = valid.credentials) {
      const res = await gw.call('POST', '/v1/connections', {
        key: apiKey, body: { connector: system, name: uniqueName(system), credentials, config: valid.config },
      });
      if (res.status !== 201) throw new Error(`POST /v1/connections answered ${res.status}: ${res.text}`);
      return res.body.id as string;
    },
    stop: () => sandbox.stop(),
  };
}

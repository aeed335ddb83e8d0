import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AppConfig } from '../../src/platform/config';
import type { StackInfo } from '../../scripts/services/stack';

/** The stack started by the global setup (Temporal, Postgres, Vault when available). */
export function testStack(): StackInfo {
  const file = process.env.FORGE_TEST_STACK;
  if (!file) throw new Error('FORGE_TEST_STACK is not set: run the suite with `npm test` (jest globalSetup starts the stack)');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as StackInfo;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
}

/** App configuration pointing at the test stack, with a task queue of its own per call. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const s = testStack();
  return {
    DATABASE_URL: s.databaseUrl,
    TEMPORAL_ADDRESS: s.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: uniqueName('test'),
    VAULT_ADDR: s.vault.address ?? undefined,
    VAULT_TOKEN: s.vault.address ? s.vault.token : undefined,
    FORGE_MASTER_KEY_FILE: s.masterKeyFile,
    FORGE_ADMIN_KEY: 'test-admin-key-' + crypto.randomBytes(8).toString('hex'),
    PORT: 0,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // The sandboxes listen on loopback (global-setup sets it for spawned processes too).
    FORGE_EGRESS_ALLOW: process.env.FORGE_EGRESS_ALLOW ?? '127.0.0.1',
    // Suites drive one tenant hard (fuzzing): limits are tested on their own, with low values.
    FORGE_TENANT_RATE_PER_SECOND: 10_000,
    FORGE_TENANT_RATE_BURST: 10_000,
    FORGE_TENANT_MAX_ACTIVE_LOADS: 1000,
    FORGE_TENANT_MAX_LIVE_CAPTURES: 1000,
    FORGE_HEALTH_TIMEOUT_MS: 2000,
    // The bench varies these through the environment (lanes against the pool they draw on).
    FORGE_DB_POOL_MAX: Number(process.env.FORGE_DB_POOL_MAX ?? 10),
    FORGE_DB_STATEMENT_TIMEOUT_MS: 60_000,
    FORGE_UPLOAD_IDLE_TIMEOUT_MS: 60_000,
    FORGE_LOAD_SEGMENT_LANES: Number(process.env.FORGE_LOAD_SEGMENT_LANES ?? 8),
    // Tests share two cores with many sandboxes in one process: a starved event loop, not a
    // wedged pool, is what makes a wait long there (the 503 itself is tested with its own pool).
    FORGE_DB_CONNECTION_WAIT_MS: 30_000,
    ...overrides,
  };
}

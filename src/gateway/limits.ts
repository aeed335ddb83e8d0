import type { Pool, PoolClient } from 'pg';
import { TooManyRequests } from './errors/api-error';

/** How long a client over a concurrency limit is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 30;

/**
 * Refuses (429 + Retry-After) a new load when the tenant already has `max` loads that are not
 * finished. Call inside the transaction that inserts the load: the per-tenant advisory lock makes
 * concurrent creations count one another.
 */
export async function assertLoadCapacity(client: PoolClient, tenantId: string, max: number): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('forge-loads:' || $1))", [tenantId]);
  const { rows } = await client.query<{ n: string }>(
    "SELECT count(*) AS n FROM loads WHERE tenant_id = $1 AND status IN ('pending', 'running', 'cancelling', 'rolling_back')", [tenantId]);
  if (Number(rows[0].n) >= max) {
    throw new TooManyRequests(`the tenant already has ${max} loads in progress (the limit): wait for one to finish`, RETRY_AFTER_SECONDS, 'too_many_loads');
  }
}

/** Refuses (429) a new capture when the tenant already has `max` live (running or paused) captures. */
export async function assertCaptureCapacity(pool: Pool, tenantId: string, max: number): Promise<void> {
  const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM captures WHERE tenant_id = $1 AND status <> 'stopped'", [tenantId]);
  if (Number(rows[0].n) >= max) {
    throw new TooManyRequests(`the tenant already has ${max} live captures (the limit): stop one first`, RETRY_AFTER_SECONDS, 'too_many_captures');
  }
}

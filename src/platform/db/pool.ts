import { Pool, type PoolClient } from 'pg';

export interface PoolLimits {
  max?: number;
  /** How long a caller waits for a free client before failing (instead of queueing forever). */
  connectionTimeoutMs?: number;
  /** Server-side limit on one statement. */
  statementTimeoutMs?: number;
  /** A transaction left idle this long (a caller stuck between statements) is ended by the server. */
  idleInTransactionTimeoutMs?: number;
}

export const DEFAULT_POOL_LIMITS: Required<PoolLimits> = {
  max: 10,
  connectionTimeoutMs: 10_000,
  statementTimeoutMs: 60_000,
  idleInTransactionTimeoutMs: 60_000,
};

/** The pool limits a process's configuration sets. */
export function poolLimits(config: { FORGE_DB_POOL_MAX: number; FORGE_DB_CONNECTION_WAIT_MS: number; FORGE_DB_STATEMENT_TIMEOUT_MS?: number }): PoolLimits {
  const limits: PoolLimits = { max: config.FORGE_DB_POOL_MAX, connectionTimeoutMs: config.FORGE_DB_CONNECTION_WAIT_MS };
  if (config.FORGE_DB_STATEMENT_TIMEOUT_MS !== undefined) limits.statementTimeoutMs = config.FORGE_DB_STATEMENT_TIMEOUT_MS;
  return limits;
}

/**
 * A pg pool that cannot wedge its callers: waiting for a client, running a statement and sitting
 * idle inside a transaction are all bounded. Code must never wait for a second client while
 * holding one (a transaction that calls the credential store did, and 11 concurrent requests
 * deadlocked a pool of 10): keep network calls and other pool work outside transactions.
 */
export function createPool(databaseUrl: string, limits: number | PoolLimits = {}): Pool {
  const l = { ...DEFAULT_POOL_LIMITS, ...(typeof limits === 'number' ? { max: limits } : limits) };
  const pool = new Pool({
    connectionString: databaseUrl,
    max: l.max,
    idleTimeoutMillis: 10000,
    connectionTimeoutMillis: l.connectionTimeoutMs,
    statement_timeout: l.statementTimeoutMs,
    idle_in_transaction_session_timeout: l.idleInTransactionTimeoutMs,
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/** True for "no client became free in time" (the pool is saturated): a 503, not a bug. */
export function isPoolTimeout(err: unknown): boolean {
  return err instanceof Error && /timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(err.message);
}

/** Runs fn in a transaction, committing on success and rolling back on any error. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

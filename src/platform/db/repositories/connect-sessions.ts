import type { Pool } from 'pg';

export type ConnectSessionStatus = 'pending' | 'connected' | 'denied' | 'failed' | 'expired';

export interface ConnectSessionRow {
  id: string;
  tenantId: string;
  connector: string;
  name: string;
  config: Record<string, unknown>;
  redirectUri: string;
  status: ConnectSessionStatus;
  connectionId: string | null;
  error: string | null;
  expiresAt: Date;
  claimedAt: Date | null;
}

interface DbConnectSession {
  id: string;
  tenant_id: string;
  connector: string;
  name: string;
  config: Record<string, unknown>;
  redirect_uri: string;
  status: ConnectSessionStatus;
  connection_id: string | null;
  error: string | null;
  expires_at: Date;
  claimed_at: Date | null;
}

const COLUMNS = 'id, tenant_id, connector, name, config, redirect_uri, status, connection_id, error, expires_at, claimed_at';

function toRow(r: DbConnectSession): ConnectSessionRow {
  return {
    id: r.id, tenantId: r.tenant_id, connector: r.connector, name: r.name, config: r.config, redirectUri: r.redirect_uri,
    status: r.status, connectionId: r.connection_id, error: r.error, expiresAt: r.expires_at, claimedAt: r.claimed_at,
  };
}

/** Connect sessions (OAuth consent in progress); the state is looked up by its hash only. */
export class ConnectSessionsRepository {
  constructor(private readonly pool: Pool) {}

  async insert(s: Pick<ConnectSessionRow, 'id' | 'tenantId' | 'connector' | 'name' | 'config' | 'redirectUri'> & { stateHash: string; ttlSeconds: number }): Promise<ConnectSessionRow> {
    const { rows } = await this.pool.query<DbConnectSession>(
      `INSERT INTO connect_sessions (id, tenant_id, connector, name, config, redirect_uri, state_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8)) RETURNING ${COLUMNS}`,
      [s.id, s.tenantId, s.connector, s.name, JSON.stringify(s.config), s.redirectUri, s.stateHash, s.ttlSeconds],
    );
    return toRow(rows[0]);
  }

  async findForTenant(tenantId: string, id: string): Promise<ConnectSessionRow | null> {
    const { rows } = await this.pool.query<DbConnectSession>(`SELECT ${COLUMNS} FROM connect_sessions WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async findByStateHash(stateHash: string): Promise<ConnectSessionRow | null> {
    const { rows } = await this.pool.query<DbConnectSession>(`SELECT ${COLUMNS} FROM connect_sessions WHERE state_hash = $1`, [stateHash]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /**
   * Claims a pending, unexpired session for its one callback; null when another callback claimed it
   * first or it expired meanwhile (the database clock decides, as it set expires_at).
   */
  async claim(id: string): Promise<ConnectSessionRow | null> {
    const { rows } = await this.pool.query<DbConnectSession>(
      `UPDATE connect_sessions SET claimed_at = now()
       WHERE id = $1 AND claimed_at IS NULL AND status = 'pending' AND expires_at > now() RETURNING ${COLUMNS}`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Whether the session's time is up (by the database clock). */
  async isExpired(id: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ expired: boolean }>('SELECT expires_at <= now() AS expired FROM connect_sessions WHERE id = $1', [id]);
    return rows[0]?.expired ?? true;
  }

  /** Marks the tenant's sessions whose time ran out unanswered as expired; their ids (their secrets can go). */
  async expireStale(tenantId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE connect_sessions SET status = 'expired', finished_at = now()
       WHERE tenant_id = $1 AND status = 'pending' AND claimed_at IS NULL AND expires_at <= now() RETURNING id`, [tenantId]);
    return rows.map((r) => r.id);
  }

  async finish(id: string, outcome: { status: Exclude<ConnectSessionStatus, 'pending'>; connectionId?: string; error?: string }): Promise<void> {
    await this.pool.query(
      `UPDATE connect_sessions SET status = $2, connection_id = $3, error = $4, finished_at = now() WHERE id = $1 AND status = 'pending'`,
      [id, outcome.status, outcome.connectionId ?? null, outcome.error ?? null]);
  }
}

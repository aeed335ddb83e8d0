import type { Pool, PoolClient } from 'pg';

export interface ConnectionRow {
  id: string;
  tenantId: string;
  connector: string;
  name: string;
  config: Record<string, unknown>;
  /** The connection's own request limits; null: its connector's documented ones. */
  rateLimits: ConnectionRateLimit[] | null;
  createdAt: Date;
}

export interface ConnectionRateLimit {
  requests: number;
  perSeconds: number;
  burst?: number;
}

type Queryable = Pool | PoolClient;

interface DbConnection {
  id: string;
  tenant_id: string;
  connector: string;
  name: string;
  config: Record<string, unknown>;
  rate_limits: ConnectionRateLimit[] | null;
  created_at: Date;
}

function toRow(r: DbConnection): ConnectionRow {
  return { id: r.id, tenantId: r.tenant_id, connector: r.connector, name: r.name, config: r.config, rateLimits: r.rate_limits, createdAt: r.created_at };
}

const COLUMNS = 'id, tenant_id, connector, name, config, rate_limits, created_at';

/** Connection settings only: credentials never pass through here (they go to the credential store). */
export class ConnectionsRepository {
  constructor(private readonly pool: Pool) {}

  async insert(db: Queryable, c: Omit<ConnectionRow, 'createdAt' | 'rateLimits'> & { rateLimits?: ConnectionRateLimit[] | null }): Promise<ConnectionRow> {
    const { rows } = await db.query<DbConnection>(
      `INSERT INTO connections (id, tenant_id, connector, name, config, rate_limits) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [c.id, c.tenantId, c.connector, c.name, JSON.stringify(c.config), c.rateLimits ? JSON.stringify(c.rateLimits) : null],
    );
    return toRow(rows[0]);
  }

  async findForTenant(tenantId: string, id: string): Promise<ConnectionRow | null> {
    const { rows } = await this.pool.query<DbConnection>(
      `SELECT ${COLUMNS} FROM connections WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`, [tenantId, id],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async listForTenant(tenantId: string): Promise<ConnectionRow[]> {
    const { rows } = await this.pool.query<DbConnection>(
      `SELECT ${COLUMNS} FROM connections WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`, [tenantId],
    );
    return rows.map(toRow);
  }

  /** Whether a live connection of the tenant has this name (names are unique per tenant). */
  async nameTaken(tenantId: string, name: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM connections WHERE tenant_id = $1 AND name = $2 AND deleted_at IS NULL', [tenantId, name]);
    return rows.length > 0;
  }

  /**
   * Marks the connection deleted (its row stays for the loads, captures and Stream that name it; its
   * name is freed, its request budgets go) unless work still uses it: 'deleted' | 'not_found' | 'in_use'.
   */
  async markDeleted(tenantId: string, id: string): Promise<'deleted' | 'not_found' | 'in_use'> {
    const { rows } = await this.pool.query<{ outcome: string }>(
      `WITH target AS (SELECT id FROM connections WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL),
            busy AS (SELECT 1 FROM captures WHERE connection_id = $2 AND status <> 'stopped'
                     UNION ALL SELECT 1 FROM loads WHERE connection_id = $2 AND status IN ('pending', 'running', 'cancelling', 'rolling_back')
                     UNION ALL SELECT 1 FROM bridges WHERE (slack_connection_id = $2 OR teams_connection_id = $2) AND status <> 'stopped'),
            done AS (UPDATE connections SET deleted_at = now(), name = name || ' (deleted ' || id || ')'
                     WHERE id IN (SELECT id FROM target) AND NOT EXISTS (SELECT 1 FROM busy) RETURNING id),
            budgets AS (DELETE FROM request_budgets WHERE connection_id IN (SELECT id FROM done))
       SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM target) THEN 'not_found'
                   WHEN EXISTS (SELECT 1 FROM done) THEN 'deleted' ELSE 'in_use' END AS outcome`, [tenantId, id]);
    return rows[0].outcome as 'deleted' | 'not_found' | 'in_use';
  }
}

/** Postgres's unique_violation, e.g. a second connection with the same name in one tenant. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

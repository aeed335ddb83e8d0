import type { Pool } from 'pg';

export interface ApiKeyRow {
  id: string;
  tenantId: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

interface DbApiKey { id: string; tenant_id: string; name: string; created_at: Date; revoked_at: Date | null }

const toRow = (r: DbApiKey): ApiKeyRow => ({ id: r.id, tenantId: r.tenant_id, name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at });

/** Tenant API keys: hashes only, looked up by hash (a 256-bit secret's hash leaks nothing to compare against). */
export class ApiKeysRepository {
  constructor(private readonly pool: Pool) {}

  async insert(key: { id: string; tenantId: string; name: string; keyHash: string }): Promise<ApiKeyRow> {
    const { rows } = await this.pool.query<DbApiKey>(
      `INSERT INTO tenant_api_keys (id, tenant_id, name, key_hash) VALUES ($1, $2, $3, $4)
       RETURNING id, tenant_id, name, created_at, revoked_at`, [key.id, key.tenantId, key.name, key.keyHash]);
    return toRow(rows[0]);
  }

  /** The tenant an unrevoked key with this hash belongs to. */
  async tenantOfHash(keyHash: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ tenant_id: string }>(
      'SELECT tenant_id FROM tenant_api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash]);
    return rows[0]?.tenant_id ?? null;
  }

  async listForTenant(tenantId: string): Promise<ApiKeyRow[]> {
    const { rows } = await this.pool.query<DbApiKey>(
      'SELECT id, tenant_id, name, created_at, revoked_at FROM tenant_api_keys WHERE tenant_id = $1 ORDER BY created_at, id', [tenantId]);
    return rows.map(toRow);
  }

  /**
   * Revokes one of the tenant's keys unless it is its last active one (which would lock the tenant
   * out). 'revoked' | 'not_found' | 'last_key'.
   */
  async revoke(tenantId: string, id: string): Promise<'revoked' | 'not_found' | 'last_key'> {
    const { rows } = await this.pool.query<{ outcome: string }>(
      `WITH target AS (SELECT id FROM tenant_api_keys WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL),
            others AS (SELECT count(*) AS n FROM tenant_api_keys WHERE tenant_id = $1 AND id <> $2 AND revoked_at IS NULL),
            done AS (UPDATE tenant_api_keys SET revoked_at = now()
                     WHERE id IN (SELECT id FROM target) AND (SELECT n FROM others) > 0 RETURNING id)
       SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM target) THEN 'not_found'
                   WHEN EXISTS (SELECT 1 FROM done) THEN 'revoked' ELSE 'last_key' END AS outcome`, [tenantId, id]);
    return rows[0].outcome as 'revoked' | 'not_found' | 'last_key';
  }
}

import type { Pool } from 'pg';

export interface TenantCredentialRow {
  id: string;
  apiKeyHash: string;
}

export class TenantsRepository {
  constructor(private readonly pool: Pool) {}

  /** The tenant and its first API key, in one statement. */
  async insert(tenant: { id: string; name: string; apiKeyHash: string; apiKeyId: string }): Promise<{ id: string; name: string; createdAt: Date }> {
    const { rows } = await this.pool.query<{ id: string; name: string; created_at: Date }>(
      `WITH t AS (INSERT INTO tenants (id, name, api_key_hash) VALUES ($1, $2, $3) RETURNING id, name, created_at),
            k AS (INSERT INTO tenant_api_keys (id, tenant_id, name, key_hash) SELECT $4, id, 'initial', $3 FROM t)
       SELECT id, name, created_at FROM t`,
      [tenant.id, tenant.name, tenant.apiKeyHash, tenant.apiKeyId],
    );
    return { id: rows[0].id, name: rows[0].name, createdAt: rows[0].created_at };
  }

  /** The stored hash of a tenant's API key, to compare against a presented key. */
  async findKeyHash(tenantId: string): Promise<TenantCredentialRow | null> {
    const { rows } = await this.pool.query<{ id: string; api_key_hash: string }>(
      'SELECT id, api_key_hash FROM tenants WHERE id = $1', [tenantId],
    );
    return rows[0] ? { id: rows[0].id, apiKeyHash: rows[0].api_key_hash } : null;
  }
}

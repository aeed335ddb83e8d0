-- Up Migration
-- A tenant may hold several API keys (rotate without downtime) and revoke any of them.
-- Only the SHA-256 of a key is stored. The key each tenant was created with becomes its first row.
CREATE TABLE tenant_api_keys (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name        text NOT NULL,
  key_hash    text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX tenant_api_keys_tenant_idx ON tenant_api_keys (tenant_id);
INSERT INTO tenant_api_keys (id, tenant_id, name, key_hash, created_at)
  SELECT 'ak_' || substr(md5(id || api_key_hash), 1, 20), id, 'initial', api_key_hash, created_at FROM tenants;

-- A deleted connection keeps its row (loads, captures and the Stream refer to it) but nothing else:
-- its credentials are removed from both stores and it is hidden from every query.
ALTER TABLE connections ADD COLUMN deleted_at timestamptz;

-- Down Migration
ALTER TABLE connections DROP COLUMN deleted_at;
DROP TABLE tenant_api_keys;

-- Up Migration
-- Postgres is the durable copy of every credentials write; Vault is brought up to date from it.
-- `revision` counts writes of a connection's credentials; `vault_revision` is the revision Vault is
-- known to hold, as its KV v2 version `vault_version` (a write that lands late makes a newer Vault
-- version, so a stale Vault entry is always recognised). Rows written before this migration have
-- no known Vault version and are copied into Vault again by the reconciler.
ALTER TABLE connection_credentials
  ADD COLUMN revision       bigint  NOT NULL DEFAULT 1,
  ADD COLUMN vault_revision bigint,
  ADD COLUMN vault_version  integer;
CREATE INDEX connection_credentials_vault_behind ON connection_credentials (updated_at)
  WHERE vault_revision IS DISTINCT FROM revision;

-- Deletions Vault has not confirmed yet (it was down): the reconciler retries them.
CREATE TABLE credential_vault_deletions (
  tenant_id     text NOT NULL,
  connection_id text NOT NULL,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, connection_id)
);

-- Down Migration
DROP TABLE credential_vault_deletions;
DROP INDEX connection_credentials_vault_behind;
ALTER TABLE connection_credentials DROP COLUMN vault_version, DROP COLUMN vault_revision, DROP COLUMN revision;

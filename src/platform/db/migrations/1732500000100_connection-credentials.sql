-- Up Migration
-- The encrypted copy of each connection's credentials (AES-256-GCM, key derived per tenant).
-- No foreign keys: credentials may be stored before or apart from their connection row, and the
-- Vault copy could not cascade anyway, so removal always goes through the credential store.
CREATE TABLE connection_credentials (
  tenant_id     text NOT NULL,
  connection_id text NOT NULL,
  ciphertext    bytea NOT NULL,
  iv            bytea NOT NULL CHECK (octet_length(iv) = 12),
  auth_tag      bytea NOT NULL CHECK (octet_length(auth_tag) = 16),
  key_version   integer NOT NULL CHECK (key_version > 0),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, connection_id)
);

-- Down Migration
DROP TABLE connection_credentials;

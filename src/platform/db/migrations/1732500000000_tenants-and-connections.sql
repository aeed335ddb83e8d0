-- Up Migration
CREATE TABLE tenants (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  api_key_hash text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Connection settings only: credentials live in the credential store, never here in clear.
CREATE TABLE connections (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  connector  text NOT NULL,
  name       text NOT NULL,
  config     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX connections_tenant_idx ON connections (tenant_id);

-- Down Migration
DROP TABLE connections;
DROP TABLE tenants;

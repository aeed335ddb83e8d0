-- Up Migration
-- A user connecting a system by consent (OAuth authorization-code grant): one row per attempt.
-- The state travels through the browser; only its SHA-256 is kept. The PKCE verifier (and a
-- tenant's own OAuth client, if it sent one) live in the credential store under the session id, so
-- they are encrypted like any credential. `claimed_at` makes a state single use: the first
-- callback claims it, a replay finds it claimed.
CREATE TABLE connect_sessions (
  id             text PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  connector      text NOT NULL,
  name           text NOT NULL,
  config         jsonb NOT NULL,
  redirect_uri   text NOT NULL,
  state_hash     text NOT NULL UNIQUE,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'connected', 'denied', 'failed', 'expired')),
  connection_id  text,
  error          text,
  expires_at     timestamptz NOT NULL,
  claimed_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz
);
CREATE INDEX connect_sessions_tenant_idx ON connect_sessions (tenant_id, created_at);

-- Down Migration
DROP TABLE connect_sessions;

-- Up Migration
-- A bridge: a Slack channel and a Teams channel linked both ways by one long-lived workflow. Each
-- side has its own capture cursor, moved (with its version bumped) in the transaction that marks
-- the page's copies as handled.
CREATE TABLE bridges (
  id                    text PRIMARY KEY,
  tenant_id             text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  slack_connection_id   text NOT NULL REFERENCES connections(id) ON DELETE RESTRICT,
  slack_channel         text NOT NULL,
  teams_connection_id   text NOT NULL REFERENCES connections(id) ON DELETE RESTRICT,
  teams_channel         text NOT NULL,
  interval_seconds      integer NOT NULL CHECK (interval_seconds BETWEEN 1 AND 86400),
  status                text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'paused', 'stopped')),
  slack_cursor          jsonb,
  slack_cursor_version  bigint NOT NULL DEFAULT 0,
  teams_cursor          jsonb,
  teams_cursor_version  bigint NOT NULL DEFAULT 0,
  last_sync_at          timestamptz,
  last_error            jsonb,
  created_at            timestamptz NOT NULL DEFAULT now(),
  stopped_at            timestamptz
);
CREATE INDEX bridges_tenant_idx ON bridges (tenant_id, created_at DESC);
-- At most one live bridge per Slack channel and per Teams channel of a connection.
CREATE UNIQUE INDEX bridges_one_live_per_slack_channel ON bridges (slack_connection_id, slack_channel) WHERE status <> 'stopped';
CREATE UNIQUE INDEX bridges_one_live_per_teams_channel ON bridges (teams_connection_id, teams_channel) WHERE status <> 'stopped';

-- Loop prevention and idempotency: every copy the bridge makes, origin -> copy. The row is reserved
-- (copy_id NULL) before the copy is posted and gets its copy_id right after; a retry that finds a
-- reserved row looks the copy up on the other side by its forge_origin marker instead of posting again.
CREATE TABLE bridge_copies (
  bridge_id          text NOT NULL REFERENCES bridges(id) ON DELETE CASCADE,
  origin_side        text NOT NULL CHECK (origin_side IN ('slack', 'teams')),
  origin_id          text NOT NULL,
  copy_side          text NOT NULL CHECK (copy_side IN ('slack', 'teams')),
  copy_id            text,
  -- reserved: about to be posted; copied: the copy exists; deleted: origin and copy are gone;
  -- failed: the other side refused the copy (error says why)
  state              text NOT NULL CHECK (state IN ('reserved', 'copied', 'deleted', 'failed')),
  -- the origin's last change applied to the copy (occurredAt / version of the change event)
  applied_at         text,
  applied_version    text,
  -- the version the cursor transaction marked as handled
  handled_version    text,
  error              jsonb,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (origin_side <> copy_side),
  UNIQUE (bridge_id, origin_side, origin_id),
  UNIQUE (bridge_id, copy_side, copy_id)
);

-- Down Migration
DROP TABLE bridge_copies;
DROP TABLE bridges;

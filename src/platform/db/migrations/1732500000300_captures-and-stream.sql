-- Up Migration
-- A capture: one long-lived polling workflow per (connection, object). The cursor lives here (not in
-- workflow history) and moves in the same transaction that appends the changes to the Stream.
CREATE TABLE captures (
  id               text PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  connection_id    text NOT NULL REFERENCES connections(id) ON DELETE RESTRICT,
  connector        text NOT NULL,
  object           text NOT NULL,
  interval_seconds integer NOT NULL CHECK (interval_seconds BETWEEN 1 AND 86400),
  polls_per_run    integer NOT NULL DEFAULT 500 CHECK (polls_per_run > 0),
  status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'paused', 'stopped')),
  cursor           jsonb,
  -- bumped by every poll that moves the cursor: a poll whose cursor was moved by another attempt
  -- meanwhile (a retry racing a slow first attempt) discards its page instead of moving it back
  cursor_version   bigint NOT NULL DEFAULT 0,
  last_poll_at     timestamptz,
  last_error       jsonb,
  events_captured  bigint NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  stopped_at       timestamptz
);
CREATE INDEX captures_tenant_idx ON captures (tenant_id, created_at DESC);
-- At most one live (running or paused) capture per connection and object.
CREATE UNIQUE INDEX captures_one_live_per_object ON captures (connection_id, object) WHERE status <> 'stopped';

-- The Stream: an append-only, ordered log of change events. `offset` is assigned under a
-- per-connection lock held until commit, so within a connection offsets become visible in order.
CREATE TABLE stream_events (
  "offset"      bigserial PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  connection_id text NOT NULL REFERENCES connections(id) ON DELETE RESTRICT,
  capture_id    text NOT NULL REFERENCES captures(id) ON DELETE RESTRICT,
  object        text NOT NULL,
  record_id     text NOT NULL,
  op            text NOT NULL CHECK (op IN ('upsert', 'delete')),
  version       text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  data          jsonb,
  captured_at   timestamptz NOT NULL DEFAULT now(),
  -- exactly once: one event per system account (connection), object, record and version
  UNIQUE (connection_id, object, record_id, version)
);
CREATE INDEX stream_events_read_idx ON stream_events (tenant_id, connection_id, object, "offset");
CREATE INDEX stream_events_connection_idx ON stream_events (tenant_id, connection_id, "offset");

-- Down Migration
DROP TABLE stream_events;
DROP TABLE captures;

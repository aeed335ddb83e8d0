-- Up Migration
-- A load and its records. Records live here, never in workflow history: the workflow carries the
-- load id and chunk numbers only. Every step's outcome is recorded per record, so activities can
-- be retried (and the worker restarted) without writing a record twice or losing one.
CREATE TABLE loads (
  id             text PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  connection_id  text NOT NULL REFERENCES connections(id) ON DELETE RESTRICT,
  connector      text NOT NULL,
  object         text NOT NULL,
  operation      text NOT NULL CHECK (operation IN ('create', 'update', 'upsert', 'delete')),
  natural_key    text NOT NULL,
  options        jsonb NOT NULL DEFAULT '{}'::jsonb,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'completed', 'failed',
                   'cancelling', 'cancelled', 'rolling_back', 'rolled_back')),
  phase          text,
  error          jsonb,
  chunk_size     integer NOT NULL CHECK (chunk_size > 0),
  chunk_count    integer NOT NULL CHECK (chunk_count >= 0),
  record_count   integer NOT NULL CHECK (record_count >= 0),
  rollback_until timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  finished_at    timestamptz
);
CREATE INDEX loads_tenant_idx ON loads (tenant_id, created_at DESC);

CREATE TABLE load_records (
  load_id        text NOT NULL REFERENCES loads(id) ON DELETE CASCADE,
  idx            integer NOT NULL,
  chunk          integer NOT NULL,
  record_key     text NOT NULL,
  data           jsonb NOT NULL,
  -- snapshot: whether the record existed before the load, and its before-image
  snapshot_taken boolean NOT NULL DEFAULT false,
  existed        boolean,
  before_image   jsonb,
  -- dry run: what would happen, with a field-level diff
  plan           jsonb,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'created', 'updated', 'deleted',
                   'unchanged', 'failed', 'rolled_back', 'rollback_failed')),
  system_id      text,
  verified       boolean NOT NULL DEFAULT false,
  errors         jsonb,
  rollback_note  text,
  PRIMARY KEY (load_id, idx)
);
CREATE INDEX load_records_chunk_idx ON load_records (load_id, chunk);
CREATE INDEX load_records_status_idx ON load_records (load_id, status);

-- Records that failed for a reason the user must fix (validation, verify mismatch, lying delete).
-- Their content passes through the redactor before it is stored here.
CREATE TABLE dead_letters (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  load_id     text NOT NULL REFERENCES loads(id) ON DELETE CASCADE,
  idx         integer NOT NULL,
  record_key  text NOT NULL,
  kind        text NOT NULL,
  errors      jsonb NOT NULL,
  record      jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (load_id, idx, kind)
);

-- Down Migration
DROP TABLE dead_letters;
DROP TABLE load_records;
DROP TABLE loads;

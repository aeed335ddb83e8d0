-- Up Migration
-- What a source without a change feed (Google Sheets) last captured: one fingerprint per record key,
-- per generation. A poll reads the generation its committed cursor names and writes the next one;
-- the cursor (moved in the same transaction as the Stream append) says which generation is real, so
-- a poll whose append never committed leaves a generation no cursor names, dropped by the next poll.
CREATE TABLE capture_row_states (
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  connection_id text NOT NULL,
  object        text NOT NULL,
  generation    bigint NOT NULL,
  record_key    text NOT NULL,
  fingerprint   text NOT NULL,
  PRIMARY KEY (tenant_id, connection_id, object, generation, record_key)
);

-- Down Migration
DROP TABLE capture_row_states;

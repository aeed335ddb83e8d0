-- Up Migration
-- Each chunk's record counts, written with the chunk's records (same statement), so a load's
-- summary adds up at most one row per chunk instead of counting every record: GET /v1/loads/:id
-- on a 1,000,000-record load read a million rows each time it was asked.
CREATE TABLE load_chunk_counts (
  load_id         text NOT NULL REFERENCES loads(id) ON DELETE CASCADE,
  chunk           integer NOT NULL,
  created         integer NOT NULL DEFAULT 0,
  updated         integer NOT NULL DEFAULT 0,
  deleted         integer NOT NULL DEFAULT 0,
  unchanged       integer NOT NULL DEFAULT 0,
  failed          integer NOT NULL DEFAULT 0,
  verified        integer NOT NULL DEFAULT 0,
  rolled_back     integer NOT NULL DEFAULT 0,
  rollback_failed integer NOT NULL DEFAULT 0,
  plan_create     integer NOT NULL DEFAULT 0,
  plan_update     integer NOT NULL DEFAULT 0,
  plan_delete     integer NOT NULL DEFAULT 0,
  plan_unchanged  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (load_id, chunk)
);

INSERT INTO load_chunk_counts
SELECT load_id, chunk,
       count(*) FILTER (WHERE status = 'created'),
       count(*) FILTER (WHERE status = 'updated'),
       count(*) FILTER (WHERE status = 'deleted'),
       count(*) FILTER (WHERE status = 'unchanged'),
       count(*) FILTER (WHERE status = 'failed'),
       count(*) FILTER (WHERE verified),
       count(*) FILTER (WHERE status = 'rolled_back'),
       count(*) FILTER (WHERE status = 'rollback_failed'),
       count(*) FILTER (WHERE plan->>'action' = 'create'),
       count(*) FILTER (WHERE plan->>'action' = 'update'),
       count(*) FILTER (WHERE plan->>'action' = 'delete'),
       count(*) FILTER (WHERE plan->>'action' = 'unchanged')
FROM load_records GROUP BY load_id, chunk;

-- Down Migration
DROP TABLE load_chunk_counts;

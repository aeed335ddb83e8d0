-- Up Migration
-- When a load's workflow asks its running segments to stop (a cancel, or a failure in another
-- lane): each segment reads it between chunks and returns what it did, and the workflow waits for
-- every segment before it compensates, so no rollback runs beside a write.
ALTER TABLE loads ADD COLUMN stop_requested_at timestamptz;

-- Down Migration
ALTER TABLE loads DROP COLUMN stop_requested_at;

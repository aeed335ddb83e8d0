-- Up Migration
-- Rate limits as a budget (issue 19 item 4): one token bucket per connection and declared limit,
-- shared by every activity and worker process. A request reserves its token with one atomic UPSERT;
-- tokens below zero are requests already promised a later slot (each waits its turn before sending).
-- `pace` is below 1 after the system answered 429 anyway, and climbs back to 1 as time passes.
CREATE TABLE request_budgets (
  connection_id      text NOT NULL,
  bucket             text NOT NULL,
  capacity           double precision NOT NULL,
  refill_per_second  double precision NOT NULL,
  tokens             double precision NOT NULL,
  pace               double precision NOT NULL DEFAULT 1,
  refreshed_at       timestamptz NOT NULL,
  PRIMARY KEY (connection_id, bucket)
);

-- A connection's own limits where they differ from what its connector documents (an account tier,
-- an API limit increase): null means the connector's declared limits, [] means none.
ALTER TABLE connections ADD COLUMN rate_limits jsonb;

-- Down Migration
ALTER TABLE connections DROP COLUMN rate_limits;
DROP TABLE request_budgets;

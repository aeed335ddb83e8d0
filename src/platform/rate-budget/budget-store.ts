import type { Pool } from 'pg';
import { drawOf, type Bucket } from './limits';

/** How long after a 429 the pace takes to climb back from its floor to the full declared rate. */
export const PACE_RECOVERY_SECONDS = 120;
/** What a 429 does to the pace (never below PACE_FLOOR): the declared limit was wrong or shared. */
const PACE_CUT = 0.75;
const PACE_FLOOR = 0.2;

/** Brings a bucket's tokens from refreshed_at to now, at its (possibly reduced) pace. */
const TOKENS_NOW = `LEAST(b.capacity, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b.refreshed_at)) * b.refill_per_second * b.pace)`;
/** Brings a bucket's pace from refreshed_at to now: an update that moves refreshed_at moves both. */
const PACE_NOW = `LEAST(1, b.pace + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b.refreshed_at)) / ${PACE_RECOVERY_SECONDS}::float8)`;

/**
 * The request_budgets table: token buckets per connection, shared by every process through
 * Postgres. Every change is one statement, so concurrent reservations from any number of workers
 * serialise on the bucket rows (locked in bucket-name order: no deadlocks between them).
 */
export class RequestBudgetStore {
  constructor(private readonly pool: Pool) {}

  /**
   * Reserves the turns of requests asked for together, creating the buckets on first use: each
   * request draws from every bucket (drawOf: one request, or its cost from a bucket of points).
   * Answers how long each request must wait before it is sent (0 when the bucket held its draw,
   * else until the refill covers it, in the order given).
   */
  async reserve(connectionId: string, buckets: Bucket[], costs: number[] = [1]): Promise<number[]> {
    const ordered = [...buckets].sort((a, b) => a.name.localeCompare(b.name));
    const draws = ordered.map((b) => costs.map((cost) => drawOf(b, cost)));
    // The insert's tokens are capacity − total, so the update reads the total back from EXCLUDED.
    const { rows } = await this.pool.query<{ bucket: string; tokens: number; rate: number }>(
      `INSERT INTO request_budgets AS b (connection_id, bucket, capacity, refill_per_second, tokens, refreshed_at)
       SELECT $1, i.bucket, i.capacity, i.refill, i.capacity - i.total, clock_timestamp()
         FROM unnest($2::text[], $3::float8[], $4::float8[], $5::float8[]) AS i(bucket, capacity, refill, total) ORDER BY i.bucket
       ON CONFLICT (connection_id, bucket) DO UPDATE SET
         tokens = LEAST(EXCLUDED.capacity, ${TOKENS_NOW}) - (EXCLUDED.capacity - EXCLUDED.tokens),
         pace = ${PACE_NOW},
         capacity = EXCLUDED.capacity,
         refill_per_second = EXCLUDED.refill_per_second,
         refreshed_at = GREATEST(b.refreshed_at, clock_timestamp())
       RETURNING b.bucket, b.tokens, b.refill_per_second * b.pace AS rate`,
      [connectionId, ordered.map((b) => b.name), ordered.map((b) => b.capacity), ordered.map((b) => b.refillPerSecond),
        draws.map((d) => d.reduce((sum, x) => sum + x, 0))],
    );
    // Request i left the bucket at tokens + (what the requests after it drew): below zero, it waits.
    return costs.map((_cost, i) => Math.max(0, ...rows.map((r) => {
      const after = draws[ordered.findIndex((b) => b.name === r.bucket)].slice(i + 1).reduce((sum, x) => sum + x, 0);
      const left = r.tokens + after;
      return left >= 0 ? 0 : (-left / r.rate) * 1000;
    })));
  }

  /** Gives back what a request reserved and will not send. */
  async refund(connectionId: string, buckets: Bucket[], cost = 1): Promise<void> {
    await this.pool.query(
      `UPDATE request_budgets AS b SET tokens = LEAST(b.capacity, b.tokens + r.draw)
         FROM unnest($2::text[], $3::float8[]) AS r(bucket, draw)
       WHERE b.connection_id = $1 AND b.bucket = r.bucket`,
      [connectionId, buckets.map((b) => b.name), buckets.map((b) => drawOf(b, cost))],
    );
  }

  /**
   * The system said what a request cost and what is left of its bucket: `change` points come back
   * (negative: it cost more than was reserved), and the bucket never holds more than `atMost`.
   */
  async corrected(connectionId: string, bucket: Bucket, change: number, atMost: number | undefined): Promise<void> {
    // LEAST ignores a null atMost.
    await this.pool.query(
      `UPDATE request_budgets AS b SET tokens = LEAST(b.capacity, ${TOKENS_NOW} + $3::float8, $4::float8), pace = ${PACE_NOW},
         refreshed_at = GREATEST(b.refreshed_at, clock_timestamp())
       WHERE connection_id = $1 AND bucket = $2`,
      [connectionId, bucket.name, change, atMost ?? null],
    );
  }

  /** The system says only `remaining` requests are left in its window: never assume more. */
  async atMost(connectionId: string, bucket: Bucket, remaining: number): Promise<void> {
    await this.pool.query(
      `UPDATE request_budgets AS b SET tokens = LEAST(${TOKENS_NOW}, $3::float8), pace = ${PACE_NOW}, refreshed_at = GREATEST(b.refreshed_at, clock_timestamp())
       WHERE connection_id = $1 AND bucket = $2`,
      [connectionId, bucket.name, remaining],
    );
  }

  /**
   * Removes the buckets nobody drew on for `idleSeconds` that have refilled to capacity and whose
   * pace is back to 1: such a row says nothing that its absence does not (reserve creates it full).
   * Keyed buckets (a Slack channel, a Teams thread) would otherwise stay forever. Answers how many.
   */
  async forgetIdle(idleSeconds = 3600): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM request_budgets AS b
        WHERE b.refreshed_at < clock_timestamp() - make_interval(secs => $1)
          AND ${TOKENS_NOW} >= b.capacity AND ${PACE_NOW} >= 1`,
      [idleSeconds],
    );
    return rowCount ?? 0;
  }

  /**
   * The system refused a request (429) although the budget allowed it: nobody drawing on its buckets
   * (every bucket of the connection when `buckets` is absent) sends for `retryAfterSeconds`, and
   * their pace drops, recovering over PACE_RECOVERY_SECONDS.
   */
  async refused(connectionId: string, retryAfterSeconds: number, buckets?: Bucket[]): Promise<void> {
    await this.pool.query(
      `UPDATE request_budgets AS b SET
         pace = GREATEST($3::float8, ${PACE_NOW} * $2::float8),
         tokens = LEAST(${TOKENS_NOW}, -($4::float8) * b.refill_per_second * GREATEST($3::float8, ${PACE_NOW} * $2::float8)),
         refreshed_at = GREATEST(b.refreshed_at, clock_timestamp())
       WHERE connection_id = $1 AND ($5::text[] IS NULL OR b.bucket = ANY($5::text[]))`,
      [connectionId, PACE_CUT, PACE_FLOOR, retryAfterSeconds, buckets ? buckets.map((b) => b.name) : null],
    );
  }
}

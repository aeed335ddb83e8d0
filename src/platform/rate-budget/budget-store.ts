import type { Pool } from 'pg';
import type { Bucket } from './limits';

/** How long after a 429 the pace takes to climb back from its floor to the full declared rate. */
export const PACE_RECOVERY_SECONDS = 120;
/** What a 429 does to the pace (never below PACE_FLOOR): the declared limit was wrong or shared. */
const PACE_CUT = 0.75;
const PACE_FLOOR = 0.2;

/** Brings a bucket's tokens from refreshed_at to now, at its (possibly reduced) pace. */
const TOKENS_NOW = `LEAST(b.capacity, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b.refreshed_at)) * b.refill_per_second * b.pace)`;

/**
 * The request_budgets table: token buckets per connection, shared by every process through
 * Postgres. Every change is one statement, so concurrent reservations from any number of workers
 * serialise on the bucket rows (locked in bucket-name order: no deadlocks between them).
 */
export class RequestBudgetStore {
  constructor(private readonly pool: Pool) {}

  /**
   * Takes `n` tokens from every bucket, creating the buckets on first use; answers how long each of
   * the `n` requests must wait before it is sent (0 when its token was there, else its turn).
   */
  async reserve(connectionId: string, buckets: Bucket[], n = 1): Promise<number[]> {
    const ordered = [...buckets].sort((a, b) => a.name.localeCompare(b.name));
    const { rows } = await this.pool.query<{ tokens: number; rate: number }>(
      `INSERT INTO request_budgets AS b (connection_id, bucket, capacity, refill_per_second, tokens, refreshed_at)
       SELECT $1, i.bucket, i.capacity, i.refill, i.capacity - $5::float8, clock_timestamp()
         FROM unnest($2::text[], $3::float8[], $4::float8[]) AS i(bucket, capacity, refill) ORDER BY i.bucket
       ON CONFLICT (connection_id, bucket) DO UPDATE SET
         tokens = LEAST(EXCLUDED.capacity, ${TOKENS_NOW}) - $5::float8,
         pace = LEAST(1, b.pace + GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - b.refreshed_at)) / $6::float8),
         capacity = EXCLUDED.capacity,
         refill_per_second = EXCLUDED.refill_per_second,
         refreshed_at = GREATEST(b.refreshed_at, clock_timestamp())
       RETURNING b.tokens, b.refill_per_second * b.pace AS rate`,
      [connectionId, ordered.map((b) => b.name), ordered.map((b) => b.capacity), ordered.map((b) => b.refillPerSecond), n, PACE_RECOVERY_SECONDS],
    );
    // The i-th request of the n took the token numbered tokens + (n - 1 - i): below zero, it waits.
    return Array.from({ length: n }, (_, i) => Math.max(0, ...rows.map((r) => {
      const token = r.tokens + (n - 1 - i);
      return token >= 0 ? 0 : (-token / r.rate) * 1000;
    })));
  }

  /** Gives back tokens reserved for requests that will not be sent. */
  async refund(connectionId: string, buckets: Bucket[], n = 1): Promise<void> {
    await this.pool.query(
      'UPDATE request_budgets SET tokens = LEAST(capacity, tokens + $3::float8) WHERE connection_id = $1 AND bucket = ANY($2::text[])',
      [connectionId, buckets.map((b) => b.name), n],
    );
  }

  /** The system says only `remaining` requests are left in its window: never assume more. */
  async atMost(connectionId: string, bucket: Bucket, remaining: number): Promise<void> {
    await this.pool.query(
      `UPDATE request_budgets AS b SET tokens = LEAST(${TOKENS_NOW}, $3::float8), refreshed_at = GREATEST(b.refreshed_at, clock_timestamp())
       WHERE connection_id = $1 AND bucket = $2`,
      [connectionId, bucket.name, remaining],
    );
  }

  /**
   * The system refused a request (429) although the budget allowed it: nobody on this connection
   * sends for `retryAfterSeconds`, and the pace drops, recovering over PACE_RECOVERY_SECONDS.
   */
  async refused(connectionId: string, retryAfterSeconds: number): Promise<void> {
    await this.pool.query(
      `UPDATE request_budgets AS b SET
         pace = GREATEST($3::float8, b.pace * $2::float8),
         tokens = LEAST(${TOKENS_NOW}, -($4::float8) * b.refill_per_second * GREATEST($3::float8, b.pace * $2::float8)),
         refreshed_at = GREATEST(b.refreshed_at, clock_timestamp())
       WHERE connection_id = $1`,
      [connectionId, PACE_CUT, PACE_FLOOR, retryAfterSeconds],
    );
  }
}

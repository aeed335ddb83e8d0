import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorError, isConnectorError } from '../errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../http';
import type { RequestBudgetStore } from './budget-store';
import { costBucketOf, drawOf, pointsWaitMs, type Bucket, type CostAnswer, type CostLimit } from './limits';

/**
 * The longest a request waits for its turn inside an activity. A longer wait (a daily limit spent)
 * gives the tokens back and fails the request as transient with that wait as its Retry-After, so
 * Temporal schedules the retry instead of a worker slot sleeping for hours.
 */
export const MAX_WAIT_MS = 60_000;

/** When a 429 names no Retry-After: wait one second, as the systems' docs advise at least. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * Per connection, until when this process holds its requests after a 429: requests that had
 * already reserved their turn (siblings of one fan-out) must not go out during the Retry-After.
 */
const heldUntil = new Map<string, number>();

/**
 * Per connection, the bucket of points as the system last reported its size and restore rate (a
 * store on a larger plan than the connector documents, or one the system reduced for a while): the
 * budget follows it from the first answer on, in every activity this process runs.
 */
const reportedPoints = new Map<string, Pick<CostLimit, 'maximumAvailable' | 'restorePerSecond'>>();

/** One connection's share of its system's limits, drawn on before each request leaves. */
export class ConnectionBudget {
  constructor(
    private readonly store: RequestBudgetStore,
    readonly connectionId: string,
    readonly buckets: Bucket[],
    private readonly system: string,
  ) {}

  private gathering: Array<{ cost: number; resolve: (waitMs: number) => void; reject: (err: unknown) => void }> | null = null;

  /** Waits for the turn of a request costing `cost` (what it draws from a bucket of points). */
  async acquire(cost = 1): Promise<void> {
    const waitMs = await this.turn(cost);
    if (waitMs > MAX_WAIT_MS) {
      await this.store.refund(this.connectionId, this.current(), cost);
      throw new ConnectorError({
        kind: 'transient', system: this.system, retryAfterMs: Math.ceil(waitMs),
        message: `${this.system}: the connection's request budget is spent for the next ${Math.ceil(waitMs / 1000)} s (documented rate limit)`,
      });
    }
    if (waitMs > 0) await sleep(waitMs);
    for (let until = heldUntil.get(this.connectionId) ?? 0; until > Date.now(); until = heldUntil.get(this.connectionId) ?? 0) {
      await sleep(until - Date.now());
    }
    heldUntil.delete(this.connectionId);
  }

  /**
   * Requests asked for in the same turn of the event loop (a fan-out of reads) reserve their turns
   * with one statement: one round trip for all.
   */
  private turn(cost: number): Promise<number> {
    return new Promise((resolve, reject) => {
      if (!this.gathering) {
        this.gathering = [];
        setImmediate(() => void this.reserveGathered());
      }
      this.gathering.push({ cost, resolve, reject });
    });
  }

  private async reserveGathered(): Promise<void> {
    const waiting = this.gathering ?? [];
    this.gathering = null;
    try {
      // Each leaves at its own turn: held back to leave together, they would bunch into one window.
      const waits = await this.store.reserve(this.connectionId, this.current(), waiting.map((w) => w.cost));
      waiting.forEach((w, i) => w.resolve(waits[i]));
    } catch (err) {
      for (const w of waiting) w.reject(err);
    }
  }

  /**
   * Reads what the system says is left (headers, or a bucket of points in the body), and takes it
   * into account when it is less than the budget assumes; a request a bucket of points could not
   * hold was refused like a 429.
   */
  async answered(headers: Record<string, string>, body: unknown, cost = 1): Promise<void> {
    for (const bucket of this.current()) {
      const remaining = bucket.remaining?.(headers);
      // The bucket never holds more than its capacity: only a smaller figure can change anything.
      if (remaining !== undefined && remaining - 1 < bucket.capacity) await this.store.atMost(this.connectionId, bucket, remaining - 1);
      const answer = bucket.cost?.readAnswer(body);
      if (!answer) continue;
      this.learn(bucket, answer);
      if (answer.throttled) await this.refused(throttledWaitMs(answer, bucket, cost));
      else await this.store.corrected(this.connectionId, bucket, drawOf(bucket, cost) - (answer.actualCost ?? 0), answer.currentlyAvailable);
    }
  }

  /** The buckets as declared, a bucket of points as the system last reported it. */
  private current(): Bucket[] {
    const reported = reportedPoints.get(this.connectionId);
    return reported ? this.buckets.map((b) => (b.cost ? costBucketOf({ ...b.cost, ...reported }) : b)) : this.buckets;
  }

  private learn(bucket: Bucket, answer: CostAnswer): void {
    const { maximumAvailable, restorePerSecond } = answer;
    if (maximumAvailable === undefined || restorePerSecond === undefined || maximumAvailable <= 0 || restorePerSecond <= 0) return;
    if (bucket.cost?.maximumAvailable !== maximumAvailable || bucket.cost.restorePerSecond !== restorePerSecond) {
      reportedPoints.set(this.connectionId, { maximumAvailable, restorePerSecond });
    }
  }

  async refused(retryAfterMs: number | undefined): Promise<void> {
    const waitMs = retryAfterMs ?? DEFAULT_RETRY_AFTER_SECONDS * 1000;
    // Held here at once, before the budget row is updated: a sibling's turn may come meanwhile.
    heldUntil.set(this.connectionId, Math.max(heldUntil.get(this.connectionId) ?? 0, Date.now() + waitMs));
    await this.store.refused(this.connectionId, waitMs / 1000);
  }
}

/** Until the bucket of points holds the throttled request's cost again, as the answer reports the bucket. */
function throttledWaitMs(answer: CostAnswer, bucket: Bucket, cost: number): number | undefined {
  if (answer.currentlyAvailable === undefined) return undefined;
  const wait = pointsWaitMs(answer.requestedCost ?? cost, answer.currentlyAvailable, answer.restorePerSecond ?? bucket.refillPerSecond);
  return Math.max(wait, 1);
}

/**
 * A connector's HTTP client drawing on the connection's budget: every request waits for a token,
 * answers correct the budget by the system's rate-limit headers (and a bucket of points by what the
 * body reports), and a 429 (or a throttled answer) slows every sender on the connection. The request itself is unchanged, and a 429 still fails it (the activity retries).
 */
export function withRequestBudget(http: HttpClient, budget: ConnectionBudget): HttpClient {
  return {
    async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
      await budget.acquire(req.cost);
      try {
        const res = await http.request<T>(req);
        await budget.answered(res.headers, res.body, req.cost);
        return res;
      } catch (err) {
        if (isConnectorError(err) && err.status === 429) await budget.refused(err.retryAfterMs);
        throw err;
      }
    },
  };
}

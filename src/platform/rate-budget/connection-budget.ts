import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorError, isConnectorError } from '../errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../http';
import { answeredWindowTurn } from './answered-window';
import type { RequestBudgetStore } from './budget-store';
import { bucketsFor, costBucketOf, drawOf, pointsWaitMs, type Bucket, type CostAnswer, type CostLimit } from './limits';

/**
 * The longest a request waits for its turn inside an activity. A longer wait (a daily limit spent)
 * gives the tokens back and fails the request as transient with that wait as its Retry-After, so
 * Temporal schedules the retry instead of a worker slot sleeping for hours.
 */
export const MAX_WAIT_MS = 60_000;

/** When a 429 names no Retry-After: wait one second, as the systems' docs advise at least. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * Per bucket of a connection (`<connection>|<bucket>`), until when this process holds its requests
 * after a 429: requests that had already reserved their turn (siblings of one fan-out) must not go
 * out during the Retry-After.
 */
const heldUntil = new Map<string, number>();

/**
 * Per connection, the bucket of points as the system last reported its size and restore rate (a
 * store on a larger plan than the connector documents, or one the system reduced for a while): the
 * budget follows it from the first answer on, in every activity this process runs.
 */
const reportedPoints = new Map<string, Pick<CostLimit, 'maximumAvailable' | 'restorePerSecond'>>();

/**
 * Per bucket of points of a connection (`<connection>|<bucket>`), what this process's requests
 * sent and not yet answered drew from it. An answer's `currentlyAvailable` may be the system's
 * bucket before those are charged, so the budget keeps that much less: it had set the bucket to
 * what the answer said and forgotten the requests still to be charged (a THROTTLED in
 * test/e2e/shopify-cost-budget.test.ts on a loaded machine, two requests sent at once). Requests
 * still waiting for their turn are not counted: the budget's tokens already hold their draw.
 * Other processes' requests are not known here; the budget's margin covers them.
 */
const pointsInFlight = new Map<string, number>();

function addInFlight(key: string, points: number): void {
  const left = (pointsInFlight.get(key) ?? 0) + points;
  if (left > 0) pointsInFlight.set(key, left);
  else pointsInFlight.delete(key);
}

/** One connection's share of its system's limits, drawn on before each request leaves. */
export class ConnectionBudget {
  constructor(
    private readonly store: RequestBudgetStore,
    readonly connectionId: string,
    readonly buckets: Bucket[],
    private readonly system: string,
  ) {}

  /** Requests gathered in this turn of the event loop, by the set of buckets they draw from. */
  private gathering: Map<string, { buckets: Bucket[]; waiting: Gathered[] }> | null = null;

  /** The buckets a request draws from: every unkeyed one, and its own of each keyed limit that applies. */
  bucketsOf(req: HttpRequest): Bucket[] {
    return bucketsFor(this.current(), req);
  }

  /**
   * Waits for the turn of a request drawing on `buckets`, costing `cost` (what it draws from a bucket
   * of points); answers the function to call once the request was answered (or failed).
   */
  async acquire(cost = 1, buckets: Bucket[] = this.current()): Promise<() => void> {
    if (buckets.length === 0) return () => undefined;
    const waitMs = await this.turn(cost, buckets);
    if (waitMs > MAX_WAIT_MS) {
      await this.store.refund(this.connectionId, buckets, cost);
      throw new ConnectorError({
        kind: 'transient', system: this.system, retryAfterMs: Math.ceil(waitMs),
        message: `${this.system}: the connection's request budget is spent for the next ${Math.ceil(waitMs / 1000)} s (documented rate limit)`,
      });
    }
    if (waitMs > 0) await sleep(waitMs);
    const holds = buckets.map((b) => `${this.connectionId}|${b.name}`);
    const until = () => Math.max(0, ...holds.map((h) => heldUntil.get(h) ?? 0));
    for (let t = until(); t > Date.now(); t = until()) await sleep(t - Date.now());
    for (const h of holds) heldUntil.delete(h);
    return answeredWindowTurn(this.connectionId, buckets);
  }

  /**
   * Requests asked for in the same turn of the event loop (a fan-out of reads) reserve their turns
   * with one statement per set of buckets: one round trip for all of a set.
   */
  private turn(cost: number, buckets: Bucket[]): Promise<number> {
    return new Promise((resolve, reject) => {
      if (!this.gathering) {
        this.gathering = new Map();
        setImmediate(() => void this.reserveGathered());
      }
      const set = buckets.map((b) => b.name).sort().join('\n');
      const group = this.gathering.get(set) ?? { buckets, waiting: [] };
      group.waiting.push({ cost, resolve, reject });
      this.gathering.set(set, group);
    });
  }

  private async reserveGathered(): Promise<void> {
    const groups = [...(this.gathering?.values() ?? [])];
    this.gathering = null;
    await Promise.all(groups.map(async ({ buckets, waiting }) => {
      try {
        // Each leaves at its own turn: held back to leave together, they would bunch into one window.
        const waits = await this.store.reserve(this.connectionId, buckets, waiting.map((w) => w.cost));
        waiting.forEach((w, i) => w.resolve(waits[i]));
      } catch (err) {
        for (const w of waiting) w.reject(err);
      }
    }));
  }

  /**
   * Reads what the system says is left (headers, or a bucket of points in the body), and takes it
   * into account when it is less than the budget assumes; a request a bucket of points could not
   * hold was refused like a 429.
   */
  async answered(headers: Record<string, string>, body: unknown, cost = 1, buckets: Bucket[] = this.current()): Promise<void> {
    for (const bucket of buckets) {
      const remaining = bucket.remaining?.(headers);
      // The bucket never holds more than its capacity: only a smaller figure can change anything.
      if (remaining !== undefined && remaining - 1 < bucket.capacity) await this.store.atMost(this.connectionId, bucket, remaining - 1);
      const answer = bucket.cost?.readAnswer(body);
      if (!answer) continue;
      this.learn(bucket, answer);
      const othersInFlight = pointsInFlight.get(`${this.connectionId}|${bucket.name}`) ?? 0;
      const atMost = answer.currentlyAvailable === undefined ? undefined : answer.currentlyAvailable - othersInFlight;
      if (answer.throttled) await this.refused(throttledWaitMs(answer, bucket, cost), buckets);
      else await this.store.corrected(this.connectionId, bucket, drawOf(bucket, cost) - (answer.actualCost ?? 0), atMost);
    }
  }

  /** Counts a request's draw on the buckets of points as sent and not yet answered; answers the function that ends it. */
  inFlight(cost: number, buckets: Bucket[]): () => void {
    const drawn = buckets.filter((b) => b.cost).map((b) => [`${this.connectionId}|${b.name}`, drawOf(b, cost)] as const);
    for (const [key, points] of drawn) addInFlight(key, points);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      for (const [key, points] of drawn) addInFlight(key, -points);
    };
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

  /** A 429 on a request that drew on `buckets`: those buckets (the limits that refused it) slow down. */
  async refused(retryAfterMs: number | undefined, buckets: Bucket[] = this.current()): Promise<void> {
    const waitMs = retryAfterMs ?? DEFAULT_RETRY_AFTER_SECONDS * 1000;
    // Held here at once, before the budget rows are updated: a sibling's turn may come meanwhile.
    for (const bucket of buckets) {
      const hold = `${this.connectionId}|${bucket.name}`;
      heldUntil.set(hold, Math.max(heldUntil.get(hold) ?? 0, Date.now() + waitMs));
    }
    await this.store.refused(this.connectionId, waitMs / 1000, buckets);
  }
}

interface Gathered {
  cost: number;
  resolve: (waitMs: number) => void;
  reject: (err: unknown) => void;
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
      const buckets = budget.bucketsOf(req);
      const answered = await budget.acquire(req.cost, buckets);
      // Counted once sent: a request still waiting for its turn is already drawn from the budget's tokens.
      const landed = budget.inFlight(req.cost ?? 1, buckets);
      try {
        const res = await http.request<T>(req).finally(() => { answered(); landed(); });
        await budget.answered(res.headers, res.body, req.cost, buckets);
        return res;
      } catch (err) {
        if (isConnectorError(err) && err.status === 429) await budget.refused(err.retryAfterMs, buckets);
        throw err;
      }
    },
  };
}

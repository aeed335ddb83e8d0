import type { HttpRequest } from '../http';
import type { Window } from './answered-window';

/**
 * Which requests a limit counts, and in whose bucket: the key of the bucket a request draws from
 * (Slack: 'conversations.history', or 'chat.postMessage:C0123' for a per-channel limit), or
 * undefined when the limit does not apply to that request.
 */
export type LimitKey = (req: HttpRequest) => string | undefined;

/**
 * A system's documented request limits, declared on its connector (ConnectorDefinition.rateLimits)
 * and turned into token buckets the platform shares between every activity and worker process.
 */
export interface RateLimit {
  /** Requests the system allows per window. */
  requests: number;
  perSeconds: number;
  /** Requests that may go out at once (default 1% of `requests`, at least 1). */
  burst?: number;
  /**
   * Reads what the system says is left of this limit from an answer's headers (X-RateLimit-Remaining
   * and the like), when it says so: the budget never assumes more than that is left.
   */
  remaining?: (headers: Record<string, string>) => number | undefined;
  /**
   * Limits kept per method, per channel...: one bucket per key this gives (per connection), drawn
   * on only by the requests it keys. Absent: every request of the connection draws on one bucket.
   */
  appliesTo?: LimitKey;
  /** Names the limit in its buckets' names (a default from the rate): two keyed limits of one rate need distinct names. */
  name?: string;
}

/**
 * A leaky bucket of points that a system charges each request by its calculated cost (Shopify's
 * GraphQL Admin API): a request runs only when the bucket holds its requested cost, the difference
 * to its actual cost comes back afterwards, and points are restored continuously up to the maximum.
 * Declared on the connector (ConnectorDefinition.costLimit); each request draws its own cost
 * (HttpRequest.cost) from the connection's budget.
 */
export interface CostLimit {
  /** The most points the bucket holds (Shopify: throttleStatus.maximumAvailable). */
  maximumAvailable: number;
  /** Points restored per second (Shopify: throttleStatus.restoreRate). */
  restorePerSecond: number;
  /** Reads what an answer's body says about the bucket; undefined when it says nothing. */
  readAnswer(body: unknown): CostAnswer | undefined;
}

/** What the system said about its cost bucket in one answer. */
export interface CostAnswer {
  /** The system refused the request because the bucket could not hold its cost (nothing was charged). */
  throttled: boolean;
  /** What the system charged for the request (null when it did not run). */
  actualCost?: number | null;
  /** What the system asked of the bucket for the request (its calculated cost). */
  requestedCost?: number;
  /** Points left in the system's bucket after the request. */
  currentlyAvailable?: number;
  /** The bucket's size and restore rate as the system reports them (the budget follows them). */
  maximumAvailable?: number;
  restorePerSecond?: number;
}

/** One bucket of a connection's budget, as the request_budgets table keeps it. */
export interface Bucket {
  name: string;
  capacity: number;
  refillPerSecond: number;
  remaining?: RateLimit['remaining'];
  /** A bucket of points: each request draws its cost, and answers correct it (CostLimit). */
  cost?: CostLimit;
  /** A keyed limit: the request's key names its own bucket, undefined skips this one (RateLimit.appliesTo). */
  appliesTo?: LimitKey;
  /** The documented window of a rate (not of a day's allowance): each process also keeps it by answers (answered-window.ts). */
  window?: Window;
}

/** The buckets a request draws from: unkeyed ones as they are, keyed ones by the request's key (named `<bucket>|<key>`). */
export function bucketsFor(buckets: Bucket[], req: HttpRequest): Bucket[] {
  return buckets.flatMap((bucket) => {
    if (!bucket.appliesTo) return [bucket];
    const key = bucket.appliesTo(req);
    return key === undefined ? [] : [{ ...bucket, name: `${bucket.name}|${key}` }];
  });
}

/**
 * How much later one request may reach the system than another, each compared with the moment its
 * token allowed it (timers firing late on a busy process, a credentials read, connection set-up): the
 * refill leaves room for it, so even requests bunched by that much stay inside the system's window.
 * Within a process, answers bound the lateness exactly (answered-window.ts); this room is for
 * requests of different processes. On loopback under a loaded test machine the spread measured
 * about 10 ms, 70 ms for a process's first request (test/integration/slack-teams-pacing.test.ts).
 */
export const SEND_JITTER_SECONDS = 0.1;

/**
 * The room for lateness of a bucket of points: its requests are kept by no answered window (what a
 * request costs is known from its answer only), so it covers a process's own lateness too, as
 * SEND_JITTER_SECONDS did before answered windows.
 */
export const POINTS_SEND_JITTER_SECONDS = 0.2;

/**
 * A bucket that can never put more than N = `requests` into any window of T = `perSeconds` (sliding
 * or fixed, as the system counts), even when requests arrive up to J = SEND_JITTER_SECONDS apart
 * from their tokens' moments.
 *
 * A bucket of capacity C refilling r per second releases at most C + r·W tokens in any W seconds,
 * a whole number of them: with r = (N + 1 − C) / (T + J), C + r·(T + J) = N + 1, so any N + 1
 * consecutive tokens span at least T + J. When the (N + 1)-th arrives, even the first of them,
 * had it arrived J late, has been in the system's window for T seconds: it has left it. In steady
 * state the system sees N requests every T + J seconds:
 * - HubSpot 190/10 s: 1 token at once, then 190/10.1 per second (99% of the documented rate);
 * - Slack 1 post/s per channel: 1/1.1 per second (91%); Teams 2 posts/s per tenant: 2/1.1 (91%).
 * Before, C + r·(T + J) = N with J = 0.2 s wasted a whole request per window, which tiny limits
 * feel: Teams' posts went at 1/1.2 per second (42% of the limit), Slack's at 83%.
 */
export function bucketOf(limit: RateLimit): Bucket {
  const capacity = Math.min(limit.requests, limit.burst ?? Math.max(1, Math.floor(limit.requests / 100)));
  return {
    name: limit.name ?? `${limit.requests}/${limit.perSeconds}s`,
    capacity,
    refillPerSecond: (limit.requests + 1 - capacity) / (limit.perSeconds + SEND_JITTER_SECONDS),
    remaining: limit.remaining,
    ...(limit.appliesTo ? { appliesTo: limit.appliesTo } : {}),
    ...(keepsAnsweredWindow(limit) ? { window: { requests: limit.requests, perSeconds: limit.perSeconds } } : {}),
  };
}

/**
 * The longest window a process keeps by answers: a rate's window, waited out inside an activity.
 * Longer ones are allowances (a day's calls) that only the shared bucket keeps.
 */
const LONGEST_ANSWERED_WINDOW_SECONDS = 60;

/**
 * Whether each process also keeps the limit's window by answers: a rate whose window an activity can
 * wait out. Slack's 1 post per second (burst 1) needs it most: its refill leaves only
 * SEND_JITTER_SECONDS of room, and a post that reached the sandbox 100 ms late on a loaded CI
 * machine made 2 in a second (a 429). A day's allowance is not kept so: its window would hold every
 * request of the day in memory and wait for hours inside an activity.
 */
function keepsAnsweredWindow(limit: RateLimit): boolean {
  return limit.perSeconds <= LONGEST_ANSWERED_WINDOW_SECONDS;
}

/**
 * The bucket of a CostLimit. It restores at the documented rate, and holds less than the system's
 * bucket by what the rate restores during POINTS_SEND_JITTER_SECONDS: a request that reaches the system
 * late while its bucket is full wastes none of the points the budget counted on.
 */
export function costBucketOf(limit: CostLimit): Bucket {
  return {
    // One bucket of points per connection, whatever its size: the row stays when the size is learned.
    name: 'points',
    capacity: Math.max(limit.restorePerSecond, limit.maximumAvailable - POINTS_SEND_JITTER_SECONDS * limit.restorePerSecond),
    refillPerSecond: limit.restorePerSecond,
    cost: limit,
  };
}

/** What a request draws from a bucket: its cost from a bucket of points, else one request. */
export function drawOf(bucket: Bucket, cost: number): number {
  return bucket.cost ? Math.max(0, cost) : 1;
}

/** How long until a bucket restoring `restorePerSecond` that holds `available` points holds `needed` (0 when it does). */
export function pointsWaitMs(needed: number, available: number, restorePerSecond: number): number {
  if (restorePerSecond <= 0) return 1000;
  return Math.max(0, Math.ceil(((needed - available) / restorePerSecond) * 1000));
}

/** A case-insensitive reader of a header holding a plain count (X-RateLimit-Remaining: 42). */
export function remainingHeader(name: string): (headers: Record<string, string>) => number | undefined {
  const key = name.toLowerCase();
  return (headers) => {
    const value = Number(headers[key]);
    return headers[key] !== undefined && Number.isFinite(value) ? value : undefined;
  };
}

/** Salesforce's Sforce-Limit-Info: api-usage=used/max, answered on every REST call. */
export function sforceApiUsage(headers: Record<string, string>): number | undefined {
  const match = /api-usage=(\d+)\/(\d+)/.exec(headers['sforce-limit-info'] ?? '');
  return match ? Number(match[2]) - Number(match[1]) : undefined;
}

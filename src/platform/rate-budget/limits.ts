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
}

/** One bucket of a connection's budget, as the request_budgets table keeps it. */
export interface Bucket {
  name: string;
  capacity: number;
  refillPerSecond: number;
  remaining?: RateLimit['remaining'];
}

/**
 * How late (or early) a request may reach the system compared with the moment its token allowed it
 * (timers firing late on a busy process, connection set-up): the refill leaves room for it, so even
 * requests bunched by that much stay inside the system's window.
 */
export const SEND_JITTER_SECONDS = 0.2;

/**
 * A bucket that can never put more than `requests` into any window of `perSeconds` (sliding or
 * fixed, as the system counts): its burst plus what refills during the window and the jitter fit.
 * HubSpot's 190/10 s gives 1 token at once and 18.5 per second: 97.5% of the documented rate.
 */
export function bucketOf(limit: RateLimit): Bucket {
  const capacity = limit.burst ?? Math.max(1, Math.floor(limit.requests / 100));
  return {
    name: `${limit.requests}/${limit.perSeconds}s`,
    capacity,
    refillPerSecond: Math.max(limit.requests - capacity, 1) / (limit.perSeconds + SEND_JITTER_SECONDS),
    remaining: limit.remaining,
  };
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

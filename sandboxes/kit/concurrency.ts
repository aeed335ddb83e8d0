import { setTimeout as delay } from 'node:timers/promises';
import type { Handler, Reply } from './types';

export interface ConcurrencyLimitOptions {
  /** Requests in flight at once; one more is refused. */
  limit: number;
  /** How long each request holds its slot (ms of wall time) before it is handled, so tests can make requests overlap. Default 0. */
  processingMs?: number;
  /** The system's own answer to a request over the limit (its 429 body, with or without Retry-After). */
  refuse: () => Reply;
}

/**
 * A limit on concurrent requests, as systems govern them besides (or instead of) a rate: NetSuite's
 * account concurrency, Dataverse's concurrent requests per user. Wrap every route's handler that
 * counts against the limit; the returned wrapper shares one count of requests in flight.
 */
export function concurrencyLimit(options: ConcurrencyLimitOptions): (handler: Handler) => Handler {
  let inFlight = 0;
  const processingMs = options.processingMs ?? 0;
  return (handler) => async (req, ctx) => {
    if (inFlight >= options.limit) return options.refuse();
    inFlight += 1;
    try {
      if (processingMs > 0) await delay(processingMs);
      return await handler(req, ctx);
    } finally {
      inFlight -= 1;
    }
  };
}

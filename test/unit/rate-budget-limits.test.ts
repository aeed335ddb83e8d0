import fc from 'fast-check';
import { SlidingWindowLimiter } from '../../sandboxes/kit/rate-limit';
import { bucketOf, remainingHeader, SEND_JITTER_SECONDS, sforceApiUsage, type RateLimit } from '../../src/platform/rate-budget/limits';

/**
 * When each of `asks` (seconds, ascending) gets its token from a bucket that starts full, as the
 * request_budgets table reserves them: a request takes a token now, or waits until the refill covers it.
 */
function tokenMoments(limit: RateLimit, asks: number[]): number[] {
  const { capacity, refillPerSecond } = bucketOf(limit);
  let tokens = capacity;
  let at = 0;
  return asks.map((ask) => {
    tokens = Math.min(capacity, tokens + (ask - at) * refillPerSecond) - 1;
    at = ask;
    return tokens >= 0 ? ask : ask - tokens / refillPerSecond;
  });
}

describe('request budget buckets from documented limits', () => {
  it('never let more than the documented requests into a sliding window, however late within the send jitter each arrives', () => {
    const limit = fc.integer({ min: 1, max: 300 }).chain((requests) => fc.record({
      requests: fc.constant(requests),
      perSeconds: fc.integer({ min: 1, max: 60 }),
      burst: fc.option(fc.integer({ min: 1, max: requests }), { nil: undefined }),
    }));
    // Lateness at its bounds (0 and the whole jitter) most often: the worst case is a late first request and an on-time last.
    const lateness = fc.oneof(fc.constant(0), fc.constant(SEND_JITTER_SECONDS), fc.double({ min: 0, max: SEND_JITTER_SECONDS, noNaN: true }));
    const gaps = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })), { minLength: 1, maxLength: 400 });
    fc.assert(fc.property(limit, gaps, fc.infiniteStream(lateness), (declared, askGaps, late) => {
      const asks = askGaps.map(((sum) => (gap: number) => (sum += gap))(0));
      const arrivals = tokenMoments(declared, asks).map((t) => t + late.next().value).sort((a, b) => a - b);
      let nowMs = 0;
      // The sandboxes' own counter (a request leaves the window exactly perSeconds after it arrived), a microsecond
      // shorter: the (N + 1)-th request arrives exactly a window after the first at worst, give or take float rounding.
      const system = new SlidingWindowLimiter({ limit: declared.requests, windowMs: declared.perSeconds * 1000 - 1e-3 }, () => nowMs);
      for (const arrival of arrivals) {
        nowMs = arrival * 1000;
        expect(system.take().allowed).toBe(true);
      }
    }));
  });

  it("gives HubSpot's 190 per 10 s one token at once and at least 98% of the documented rate", () => {
    const bucket = bucketOf({ requests: 190, perSeconds: 10 });
    expect(bucket.capacity).toBe(1);
    expect(bucket.refillPerSecond / 19).toBeGreaterThanOrEqual(0.98);
  });

  it("paces tiny limits at 90% of their rate or more: Slack's 1 post per second, Teams' 2 posts per second", () => {
    expect(bucketOf({ requests: 1, perSeconds: 1, burst: 1 }).refillPerSecond).toBeGreaterThanOrEqual(0.9);
    expect(bucketOf({ requests: 2, perSeconds: 1, burst: 1 }).refillPerSecond / 2).toBeGreaterThanOrEqual(0.9);
  });

  it("keeps every rate's window by answers, 1 per second with burst 1 included, and no day's allowance", () => {
    expect(bucketOf({ requests: 1, perSeconds: 1, burst: 1 }).window).toEqual({ requests: 1, perSeconds: 1 });
    expect(bucketOf({ requests: 190, perSeconds: 10 }).window).toEqual({ requests: 190, perSeconds: 10 });
    expect(bucketOf({ requests: 625_000, perSeconds: 86_400, burst: 312_500 }).window).toBeUndefined();
    expect(bucketOf({ requests: 3000, perSeconds: 86_400, burst: 3000 }).window).toBeUndefined();
  });

  it('reads the remaining count from the headers systems send', () => {
    expect(remainingHeader('X-HubSpot-RateLimit-Remaining')({ 'x-hubspot-ratelimit-remaining': '12' })).toBe(12);
    expect(remainingHeader('X-Rate-Limit-Remaining')({})).toBeUndefined();
    expect(remainingHeader('X-Rate-Limit-Remaining')({ 'x-rate-limit-remaining': 'soon' })).toBeUndefined();
    expect(sforceApiUsage({ 'sforce-limit-info': 'api-usage=25/15000' })).toBe(14_975);
  });
});

import fc from 'fast-check';
import { bucketOf, remainingHeader, SEND_JITTER_SECONDS, sforceApiUsage } from '../../src/platform/rate-budget/limits';

describe('request budget buckets from documented limits', () => {
  it('never let more than the documented requests into a window, even bunched by the send jitter', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 1_000_000 }), fc.integer({ min: 1, max: 86_400 }), (requests, perSeconds) => {
      const bucket = bucketOf({ requests, perSeconds });
      // The most a token bucket lets through in any window: its burst plus what refills meanwhile.
      expect(bucket.capacity + bucket.refillPerSecond * (perSeconds + SEND_JITTER_SECONDS)).toBeLessThanOrEqual(requests + 1e-6);
    }));
  });

  it("gives HubSpot's 190 per 10 s one token at once and at least 97% of the documented rate", () => {
    const bucket = bucketOf({ requests: 190, perSeconds: 10 });
    expect(bucket.capacity).toBe(1);
    expect(bucket.refillPerSecond / 19).toBeGreaterThanOrEqual(0.97);
  });

  it('reads the remaining count from the headers systems send', () => {
    expect(remainingHeader('X-HubSpot-RateLimit-Remaining')({ 'x-hubspot-ratelimit-remaining': '12' })).toBe(12);
    expect(remainingHeader('X-Rate-Limit-Remaining')({})).toBeUndefined();
    expect(remainingHeader('X-Rate-Limit-Remaining')({ 'x-rate-limit-remaining': 'soon' })).toBeUndefined();
    expect(sforceApiUsage({ 'sforce-limit-info': 'api-usage=25/15000' })).toBe(14_975);
  });
});

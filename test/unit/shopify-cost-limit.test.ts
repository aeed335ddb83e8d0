import { shopifyCostLimit } from '../../src/connectors/shopify/cost-limit';
import { costBucketOf, drawOf, pointsWaitMs, POINTS_SEND_JITTER_SECONDS } from '../../src/platform/rate-budget/limits';

// Answers as the Admin GraphQL API 2026-07 sends them: extensions.cost beside data or errors.
const status = { maximumAvailable: 2000, currentlyAvailable: 1890, restoreRate: 100 };

describe("Shopify's calculated query cost as a bucket of points in the request budget", () => {
  it('restores at the documented rate and holds 0.2 s of it less than the store, each request drawing its cost', () => {
    const bucket = costBucketOf(shopifyCostLimit);
    expect(bucket).toMatchObject({ capacity: 2000 - 100 * POINTS_SEND_JITTER_SECONDS, refillPerSecond: 100 });
    expect(drawOf(bucket, 110)).toBe(110);
  });

  it('reads what an answer cost and what is left', () => {
    const answer = { data: { shop: { name: 'x' } }, extensions: { cost: { requestedQueryCost: 110, actualQueryCost: 12, throttleStatus: status } } };
    expect(shopifyCostLimit.readAnswer(answer)).toEqual({ throttled: false, actualCost: 12, requestedCost: 110, currentlyAvailable: 1890, maximumAvailable: 2000, restorePerSecond: 100 });
  });

  it('reads a THROTTLED answer as throttled, charged nothing', () => {
    const answer = {
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/limits' } }],
      extensions: { cost: { requestedQueryCost: 202, actualQueryCost: null, throttleStatus: { ...status, currentlyAvailable: 118 } } },
    };
    const read = shopifyCostLimit.readAnswer(answer)!;
    expect(read).toMatchObject({ throttled: true, actualCost: null, currentlyAvailable: 118 });
    expect(pointsWaitMs(read.requestedCost!, read.currentlyAvailable!, read.restorePerSecond!)).toBe(840);
  });

  it('says nothing about answers without a cost (a 401 body, an invalid document)', () => {
    expect(shopifyCostLimit.readAnswer({ errors: '[API] Invalid API key or access token' })).toBeUndefined();
    expect(shopifyCostLimit.readAnswer(null)).toBeUndefined();
  });
});

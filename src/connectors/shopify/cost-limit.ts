import type { CostAnswer, CostLimit } from '../../platform/rate-budget';
import type { GraphqlError, ThrottleStatus } from '../kit';

/** What every Admin GraphQL answer carries about the app's bucket on the store. */
export interface CostExtension {
  cost?: { requestedQueryCost?: number; actualQueryCost?: number | null; throttleStatus?: ThrottleStatus };
}

interface ShopifyAnswer { errors?: GraphqlError[]; extensions?: CostExtension }

export const isThrottled = (error: GraphqlError): boolean => error.extensions?.code === 'THROTTLED';

/**
 * Shopify's calculated query cost, Admin GraphQL API 2026-07
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits, read 2026-11): a leaky
 * bucket per app and store; the Standard plan restores 100 points/second (Advanced 200, Plus 1000);
 * a query runs only when the bucket holds its requested cost, the difference to its actual cost is
 * refunded, and a single query may request at most 1,000 points. The page names no bucket size:
 * 2,000 is what throttleStatus.maximumAvailable reports with that restore rate (the sandbox's
 * STANDARD_BUCKET). Every answer's `extensions.cost` corrects the connection's budget (a store on a
 * larger plan reports its own size and restore rate, which the budget then follows); a THROTTLED
 * error (HTTP 200) holds the connection like a 429.
 */
export const shopifyCostLimit: CostLimit = {
  maximumAvailable: 2000,
  restorePerSecond: 100,
  readAnswer(body: unknown): CostAnswer | undefined {
    const answer = (typeof body === 'object' && body !== null ? body : {}) as ShopifyAnswer;
    const cost = answer.extensions?.cost;
    if (!cost) return undefined;
    const status = cost.throttleStatus;
    return {
      throttled: (answer.errors ?? []).some(isThrottled),
      actualCost: cost.actualQueryCost ?? null,
      ...(cost.requestedQueryCost !== undefined ? { requestedCost: cost.requestedQueryCost } : {}),
      ...(status ? { currentlyAvailable: status.currentlyAvailable, maximumAvailable: status.maximumAvailable, restorePerSecond: status.restoreRate } : {}),
    };
  },
};

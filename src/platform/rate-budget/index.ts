export { RequestBudgetStore } from './budget-store';
export { ConnectionBudget, MAX_WAIT_MS, withRequestBudget } from './connection-budget';
export { bucketOf, bucketsFor, costBucketOf, pointsWaitMs, remainingHeader, sforceApiUsage, type Bucket, type CostAnswer, type LimitKey, type CostLimit, type RateLimit } from './limits';

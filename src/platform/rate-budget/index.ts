export { RequestBudgetStore } from './budget-store';
export { ConnectionBudget, MAX_WAIT_MS, withRequestBudget } from './connection-budget';
export { bucketOf, remainingHeader, sforceApiUsage, type Bucket, type RateLimit } from './limits';

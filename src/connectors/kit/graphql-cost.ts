import { sleep } from './confirm-delete';

/**
 * Cost-based pacing for GraphQL APIs that charge each query a calculated cost from a leaky bucket
 * and report the bucket in every answer (Shopify's `extensions.cost.throttleStatus`): the client
 * waits until the bucket, as last reported and refilled since at `restoreRate`, holds what the next
 * query will cost, instead of sending it to be throttled.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = { now: Date.now, sleep };

export class CostPacer {
  private known?: { status: ThrottleStatus; at: number };

  constructor(private readonly clock: PacerClock = realClock) {}

  /** The wait before a query costing `cost` fits in the bucket (0 before the first report). */
  waitMs(cost: number): number {
    if (!this.known) return 0;
    const { restoreRate, maximumAvailable } = this.known.status;
    const need = Math.min(cost, maximumAvailable);
    const have = this.available();
    if (have >= need || restoreRate <= 0) return 0;
    return Math.ceil(((need - have) / restoreRate) * 1000);
  }

  /**
   * Waits until `cost` fits, then counts it as spent: calls made side by side in one process
   * pace against each other before the system's next report arrives.
   */
  async reserve(cost: number): Promise<void> {
    const wait = this.waitMs(cost);
    if (wait > 0) await this.clock.sleep(wait);
    if (this.known) this.known = { status: { ...this.known.status, currentlyAvailable: this.available() - cost }, at: this.clock.now() };
  }

  /** The bucket as the system just reported it. */
  observe(status: ThrottleStatus): void {
    this.known = { status: { ...status }, at: this.clock.now() };
  }

  /** Milliseconds until a query that was refused for `requested` points would fit (for a throttled answer's retry). */
  retryAfterMs(requested: number, status: ThrottleStatus): number {
    if (status.restoreRate <= 0) return 1000;
    return Math.max(0, Math.ceil(((Math.min(requested, status.maximumAvailable) - status.currentlyAvailable) / status.restoreRate) * 1000));
  }

  private available(): number {
    if (!this.known) return Number.POSITIVE_INFINITY;
    const { status, at } = this.known;
    return Math.min(status.maximumAvailable, status.currentlyAvailable + ((this.clock.now() - at) / 1000) * status.restoreRate);
  }
}

const pacers = new Map<string, CostPacer>();

/**
 * The pacer of one bucket (Shopify: one app on one store), shared by every call this worker makes
 * for it: activities come and go, the bucket stays.
 */
export function sharedCostPacer(bucketKey: string): CostPacer {
  let pacer = pacers.get(bucketKey);
  if (!pacer) {
    pacer = new CostPacer();
    pacers.set(bucketKey, pacer);
  }
  return pacer;
}

/** What Shopify reports in `extensions.cost.throttleStatus`. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface BucketSize {
  maximumAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

/**
 * The leaky bucket of one app on one store (shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm):
 * a query runs only when the bucket holds its requested cost, which it then takes; the difference
 * from its actual cost is refunded after it ran; points come back continuously at `restoreRate` per second, up to `maximumAvailable`. Wall-clock time, like the
 * kit's rate limiter.
 */
export class CostBucket {
  private available: number;
  private at: number;

  constructor(private readonly size: BucketSize, private readonly now: () => number = Date.now) {
    this.available = size.maximumAvailable;
    this.at = now();
  }

  /** Takes `cost` points when the bucket holds them; false (nothing taken) when it does not. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  /** Gives back points charged beyond what a query turned out to cost. */
  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.size.maximumAvailable, this.available + Math.max(0, points));
  }

  status(): ThrottleStatus {
    this.refill();
    return { maximumAvailable: this.size.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: this.size.restoreRate };
  }

  private refill(): void {
    const now = this.now();
    this.available = Math.min(this.size.maximumAvailable, this.available + ((now - this.at) / 1000) * this.size.restoreRate);
    this.at = now;
  }
}

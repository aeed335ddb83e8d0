/**
 * A token bucket per tenant (in this gateway process): `perSecond` requests a second on average,
 * bursts up to `burst`. Idle tenants' buckets are forgotten, so memory stays bounded by the
 * tenants active in the last minute.
 */
export class TenantRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private lastSweep = 0;

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly now: () => number = Date.now) {}

  /** 0 when the request may go ahead (and is counted), else the seconds to wait before retrying. */
  take(tenantId: string): number {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(tenantId) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(tenantId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [tenant, bucket] of this.buckets) if (now - bucket.at > 60_000) this.buckets.delete(tenant);
  }
}

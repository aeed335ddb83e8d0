import type { RateLimitInfo, RateLimitPolicy } from './types';

/**
 * A sliding-window request counter (the last `windowMs` of wall-clock time, not the sandbox clock,
 * so a frozen clock never wedges it). It always counts, so the system's rate-limit headers are
 * right; `take` refuses only when the limit is reached.
 */
export class SlidingWindowLimiter {
  private stamps: number[] = [];

  constructor(
    readonly policy: RateLimitPolicy,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts a request when there is room; says whether it was allowed and what is left. */
  take(): { allowed: boolean; info: RateLimitInfo } {
    const now = this.now();
    this.prune(now);
    const allowed = this.stamps.length < this.policy.limit;
    if (allowed) this.stamps.push(now);
    return { allowed, info: this.info(now) };
  }

  reset(): void {
    this.stamps = [];
  }

  private info(now: number): RateLimitInfo {
    const remaining = Math.max(0, this.policy.limit - this.stamps.length);
    const oldest = this.stamps[0];
    const retryAfterMs = remaining > 0 || oldest === undefined ? 0 : oldest + this.policy.windowMs - now;
    return { limit: this.policy.limit, windowMs: this.policy.windowMs, remaining, retryAfterSeconds: Math.max(0, Math.ceil(retryAfterMs / 1000)) };
  }

  private prune(now: number): void {
    const cutoff = now - this.policy.windowMs;
    let drop = 0;
    while (drop < this.stamps.length && (this.stamps[drop] ?? 0) <= cutoff) drop += 1;
    if (drop > 0) this.stamps.splice(0, drop);
  }
}

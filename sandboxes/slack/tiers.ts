import { SlidingWindowLimiter, type Reply } from '../kit';
import { rateLimited } from './errors';

/**
 * Slack's Web API rate limits, per method per app per workspace
 * (https://docs.slack.dev/apis/web-api/rate-limits, read 2025): Tier 1 1+/min, Tier 2 20+/min,
 * Tier 3 50+/min, Tier 4 100+/min, and special ones (chat.postMessage: 1 per second per channel,
 * postLimit in api.ts). Each method page names its tier.
 */
export const TIER_PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;
export type Tier = keyof typeof TIER_PER_MINUTE;

/** The methods the sandbox answers and their tiers, from each method's reference page. */
export const METHOD_TIERS: Record<string, Tier> = {
  'chat.update': 3,
  'chat.delete': 3,
  'conversations.history': 3,
  'conversations.replies': 3,
  // auth.test is "Special" on its page, and generous; the sandbox gives it Tier 4.
  'auth.test': 4,
};

/**
 * How the app is distributed, which sets conversations.history/replies' limits
 * (https://docs.slack.dev/changelog/2025/05/29/rate-limit-changes-for-non-marketplace-apps and the
 * two method pages): Marketplace apps and internal customer-built apps keep Tier 3 and `limit` up
 * to 999 (default 100); commercially distributed apps created (or newly installed) outside the
 * Marketplace from 2025-05-29 get 1 request per minute and `limit` at most 15 (default 15).
 */
export type AppDistribution = 'marketplace' | 'internal' | 'non-marketplace-2025';

const READ_METHODS = new Set(['conversations.history', 'conversations.replies']);

export interface PageSize {
  defaultLimit: number;
  maxLimit: number;
}

export function pageSizeFor(distribution: AppDistribution): PageSize {
  return distribution === 'non-marketplace-2025' ? { defaultLimit: 15, maxLimit: 15 } : { defaultLimit: 100, maxLimit: 999 };
}

/**
 * Per-method limiters: every tier when `enforceTiers`, and always the 1-per-minute reads of a
 * non-Marketplace app (that limit is what the option is for). A refusal is HTTP 429 ratelimited
 * with Retry-After, the one Slack error that is not HTTP 200.
 */
export class MethodLimits {
  private readonly limiters = new Map<string, SlidingWindowLimiter>();

  constructor(private readonly distribution: AppDistribution, private readonly enforceTiers: boolean) {}

  /**
   * A 429 reply when `method` is over its limit, else undefined (the request is counted). Minutes
   * pass on the sandbox clock when given (a test advances it instead of waiting), else on the wall.
   */
  refuse(method: string, clock?: { nowMs(): number }): Reply | undefined {
    const perMinute = this.perMinute(method);
    if (perMinute === undefined) return undefined;
    let limiter = this.limiters.get(method);
    if (!limiter) {
      limiter = new SlidingWindowLimiter({ limit: perMinute, windowMs: 60_000 }, clock ? () => clock.nowMs() : undefined);
      this.limiters.set(method, limiter);
    }
    const { allowed, info } = limiter.take();
    if (allowed) return undefined;
    return { ...rateLimited(), headers: { 'retry-after': String(Math.max(1, info.retryAfterSeconds)) } };
  }

  reset(): void {
    this.limiters.clear();
  }

  private perMinute(method: string): number | undefined {
    if (this.distribution === 'non-marketplace-2025' && READ_METHODS.has(method)) return 1;
    const tier = METHOD_TIERS[method];
    return this.enforceTiers && tier !== undefined ? TIER_PER_MINUTE[tier] : undefined;
  }
}

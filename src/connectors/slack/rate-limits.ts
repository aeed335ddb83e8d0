import type { HttpRequest } from '../../platform/http';
import type { RateLimit } from '../../platform/rate-budget';

/**
 * Slack's Web API rate limits as the connection's request budget keeps them
 * (https://docs.slack.dev/apis/web-api/rate-limits, read 2025): "per API method per workspace/team
 * per app", so each method has its own bucket; chat.postMessage "1 per second per channel, short
 * bursts allowed", one bucket per channel with a burst of 1 (the docs give no burst size).
 * Tiers from each method's reference page: chat.update, chat.delete, conversations.history and
 * conversations.replies Tier 3 (50+ per minute); auth.test "Special", budgeted as Tier 4 (100+).
 */
export const APP_DISTRIBUTIONS = ['marketplace', 'internal', 'non-marketplace-2025'] as const;
export type AppDistribution = (typeof APP_DISTRIBUTIONS)[number];

const TIER_3 = ['chat.update', 'chat.delete', 'conversations.history', 'conversations.replies'];
const TIER_4 = ['auth.test'];
const READS = ['conversations.history', 'conversations.replies'];

/** The method a request calls: its path is the method name (`<baseUrl>/<method>`). */
function methodOf(req: HttpRequest): string {
  return req.path.replace(/^.*\//, '').replace(/\?.*$/, '');
}

/** Keys a request by its method when it is one of `methods`. */
function perMethod(methods: string[]): (req: HttpRequest) => string | undefined {
  return (req) => {
    const method = methodOf(req);
    return methods.includes(method) ? method : undefined;
  };
}

/** chat.postMessage keyed by the channel it posts to. */
function postMessagePerChannel(req: HttpRequest): string | undefined {
  if (methodOf(req) !== 'chat.postMessage') return undefined;
  const channel = (req.json as { channel?: unknown } | undefined)?.channel;
  return `chat.postMessage:${typeof channel === 'string' ? channel : ''}`;
}

/**
 * The limits of a connection. A commercially distributed app created (or newly installed) outside
 * the Marketplace from 2025-05-29 gets 1 request per minute on conversations.history and
 * conversations.replies (https://docs.slack.dev/changelog/2025/05/29/rate-limit-changes-for-non-marketplace-apps
 * and both method pages); the other methods keep their tiers.
 */
export function slackRateLimits(distribution: AppDistribution): RateLimit[] {
  const reads1PerMinute = distribution === 'non-marketplace-2025';
  const tier3 = reads1PerMinute ? TIER_3.filter((m) => !READS.includes(m)) : TIER_3;
  return [
    { name: 'tier3', requests: 50, perSeconds: 60, appliesTo: perMethod(tier3) },
    { name: 'tier4', requests: 100, perSeconds: 60, appliesTo: perMethod(TIER_4) },
    { name: 'post', requests: 1, perSeconds: 1, burst: 1, appliesTo: postMessagePerChannel },
    ...(reads1PerMinute ? [{ name: 'reads-2025', requests: 1, perSeconds: 60, burst: 1, appliesTo: perMethod(READS) }] : []),
  ];
}

/** Messages per page of history and replies: Slack recommends at most 200; non-Marketplace 2025 apps get at most 15. */
export function pageLimitFor(distribution: AppDistribution): number {
  return distribution === 'non-marketplace-2025' ? 15 : 200;
}

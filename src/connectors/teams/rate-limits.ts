import type { HttpRequest } from '../../platform/http';
import type { RateLimit } from '../../platform/rate-budget';

/**
 * Microsoft Graph's documented limits for Teams channel messages
 * (https://learn.microsoft.com/graph/throttling-limits, "Microsoft Teams service limits", ms.date
 * 2025-01-14), as the Teams sandbox enforces them (sandboxes/teams/index.ts teamsThrottle):
 * 4 requests per second per app on a channel, POST channel message 2 per second per app per
 * tenant (one connection is one app in one tenant), 3,000 messages per app per channel per day.
 */
const CHANNEL = /\/teams\/([^/?]+)\/channels\/([^/?]+)/;
/** A post: a new channel message or a reply (not softDelete, which is also POST). */
const POST_PATH = /\/messages(\/[^/?]+\/replies)?\/?(\?|$)/;

function channelOf(req: HttpRequest): string | undefined {
  const match = CHANNEL.exec(req.path);
  return match ? `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}` : undefined;
}

function isPost(req: HttpRequest): boolean {
  return req.method.toUpperCase() === 'POST' && POST_PATH.test(req.path);
}

export const teamsRateLimits: RateLimit[] = [
  { name: 'channel', requests: 4, perSeconds: 1, burst: 1, appliesTo: channelOf },
  { name: 'tenant-posts', requests: 2, perSeconds: 1, burst: 1, appliesTo: (req) => (isPost(req) ? 'tenant' : undefined) },
  // A daily allowance, not a rate: all of it may be spent at once (the per-second limits pace it).
  { name: 'channel-posts-day', requests: 3000, perSeconds: 86_400, burst: 3000, appliesTo: (req) => (isPost(req) ? channelOf(req) : undefined) },
];

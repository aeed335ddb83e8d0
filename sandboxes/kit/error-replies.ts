import type { Reply } from './types';

/**
 * An `ErrorReplies.forStatus` built from the system's own replies, so an injected status reads as
 * the system answers it: `known` by status (`{ 401: unauthorized, 429: rateLimited }`, the same
 * bodies the kit sends for a refused credential or the rate limit), `other(status)` for the rest.
 */
export function replyForStatus(known: Partial<Record<number, () => Reply>>, other: (status: number) => Reply): (status: number) => Reply {
  return (status) => known[status]?.() ?? other(status);
}

import type { Reply } from './types';

/**
 * An `ErrorReplies.forStatus` built from the system's own replies, so an injected status reads as
 * the system answers it: `known` by status (`{ 401: unauthorized, 429: rateLimited }`, the same
 * bodies the kit sends for a refused credential or the rate limit), `other(status)` for the rest.
 * `Args` are what every reply of a system needs besides the status (QuickBooks: the time it stamps
 * on its faults).
 */
export function replyForStatus<Args extends unknown[] = []>(
  known: Partial<Record<number, (...args: Args) => Reply>>,
  other: (status: number, ...args: Args) => Reply,
): (status: number, ...args: Args) => Reply {
  return (status, ...args) => known[status]?.(...args) ?? other(status, ...args);
}

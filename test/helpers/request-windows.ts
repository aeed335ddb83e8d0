import type { LoggedRequest } from '../../sandboxes/kit/request-log';

/** The most requests a sandbox received inside any window of `windowMs` (by arrival). */
export function busiestWindow(log: LoggedRequest[], windowMs: number): number {
  const stamps = log.map((r) => Date.parse(r.receivedAt)).sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < stamps.length; last++) {
    while (stamps[last] - stamps[first] >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** The shortest time (ms) between a request and the `n`-th after it, by arrival: at least the window when n fill it. */
export function closestApart(log: LoggedRequest[], n: number): number {
  const stamps = log.map((r) => Date.parse(r.receivedAt)).sort((a, b) => a - b);
  return Math.min(...stamps.slice(n).map((stamp, i) => stamp - stamps[i]));
}

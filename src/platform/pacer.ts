import { setTimeout as delay } from 'node:timers/promises';
import type { HttpClient } from './http';

/**
 * Client-side pacing for systems with per-minute quotas and no Retry-After (Google answers 429 and
 * asks for exponential backoff): at most `limit` requests per `windowMs`, per key, within this
 * process. A request counts from when it starts until `windowMs` after it finished (the server
 * counted it somewhere in between), so a request that would exceed the quota waits for the oldest
 * one to leave the window.
 */
export class RequestPacer {
  private readonly slots = new Map<string, Array<{ at: number }>>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly now: () => number = () => Date.now(), private readonly wait: (ms: number) => Promise<unknown> = delay) {}

  /**
   * Resolves when a request for `key` may start, with the function to call when it has finished;
   * waiters are served in the order they asked.
   */
  acquire(key: string, limit: number, windowMs: number): Promise<() => void> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const turn = previous.then(() => this.take(key, limit, windowMs));
    this.queues.set(key, turn.catch(() => undefined));
    return turn;
  }

  private async take(key: string, limit: number, windowMs: number): Promise<() => void> {
    for (;;) {
      const now = this.now();
      const recent = (this.slots.get(key) ?? []).filter((s) => s.at > now - windowMs);
      this.slots.set(key, recent);
      if (recent.length < limit) {
        const slot = { at: now };
        recent.push(slot);
        return () => { slot.at = Math.max(slot.at, this.now()); };
      }
      const oldest = Math.min(...recent.map((s) => s.at));
      await this.wait(oldest + windowMs - now + 1);
    }
  }
}

/** One pacer per process: every connection's client in this worker shares its windows. */
export const sharedPacer = new RequestPacer();

/** An HTTP client whose requests first wait for the pacer. */
export function pacedHttpClient(client: HttpClient, pace: { key: string; limit: number; windowMs: number; pacer?: RequestPacer }): HttpClient {
  const pacer = pace.pacer ?? sharedPacer;
  return {
    async request(req) {
      const finished = await pacer.acquire(pace.key, pace.limit, pace.windowMs);
      try {
        return await client.request(req);
      } finally {
        finished();
      }
    },
  };
}

import { setTimeout as delay } from 'node:timers/promises';
import type { HttpClient } from './http';

/**
 * Client-side pacing for systems with per-minute quotas and no Retry-After (Google answers 429 and
 * asks for exponential backoff): at most `limit` requests start in any `windowMs`, per key, within
 * this process. A request that would exceed it waits for the oldest one to leave the window.
 */
export class RequestPacer {
  private readonly starts = new Map<string, number[]>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly now: () => number = () => Date.now(), private readonly wait: (ms: number) => Promise<unknown> = delay) {}

  /** Resolves when a request for `key` may start; waiters are served in the order they asked. */
  acquire(key: string, limit: number, windowMs: number): Promise<void> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const turn = previous.then(() => this.take(key, limit, windowMs));
    this.queues.set(key, turn.catch(() => undefined));
    return turn;
  }

  private async take(key: string, limit: number, windowMs: number): Promise<void> {
    for (;;) {
      const now = this.now();
      const recent = (this.starts.get(key) ?? []).filter((t) => t > now - windowMs);
      if (recent.length < limit) {
        recent.push(now);
        this.starts.set(key, recent);
        return;
      }
      this.starts.set(key, recent);
      await this.wait(recent[0] + windowMs - now + 1);
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
      await pacer.acquire(pace.key, pace.limit, pace.windowMs);
      return client.request(req);
    },
  };
}

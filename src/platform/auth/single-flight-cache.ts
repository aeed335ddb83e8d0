/** Something that stops being usable at a point in time (epoch ms). */
export interface Expiring {
  expiresAt: number;
}

/**
 * A per-key cache of expiring values (access tokens, session ids) where at most one fetch per key
 * is in flight: concurrent callers with an expired value all wait for the same fetch.
 */
export class SingleFlightCache<T extends Expiring> {
  private readonly values = new Map<string, T>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string, fetch: () => Promise<T>, skewMs = 0): Promise<T> {
    const cached = this.values.get(key);
    if (cached && cached.expiresAt - skewMs > this.now()) return Promise.resolve(cached);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const started = (async () => {
      try {
        const fresh = await fetch();
        this.values.set(key, fresh);
        return fresh;
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, started);
    return started;
  }

  /**
   * Forgets the value for `key` if it is still `stale`: when many requests fail with the same old
   * value, only the first forgets it and the others reuse whatever replaced it.
   */
  invalidate(key: string, stale?: T): void {
    if (stale === undefined || this.values.get(key) === stale) this.values.delete(key);
  }

  clear(): void {
    this.values.clear();
  }
}

/**
 * The sandbox's own clock: every timestamp a sandbox writes (createdAt, updatedAt, token expiry,
 * the stale-read window) comes from here, so tests can freeze it (many changes, one timestamp) or
 * move it (tokens expire without waiting). Unfrozen, it runs at wall-clock speed from its offset.
 */
export interface ClockState {
  now: string;
  frozen: boolean;
}

export class SandboxClock {
  private offsetMs = 0;
  private frozenAtMs: number | null = null;

  nowMs(): number {
    return this.frozenAtMs ?? Date.now() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** The last instant formatted: a batch of a hundred records is written within one millisecond. */
  private lastIso = { ms: NaN, iso: '' };

  nowIso(): string {
    const ms = this.nowMs();
    if (ms !== this.lastIso.ms) this.lastIso = { ms, iso: new Date(ms).toISOString() };
    return this.lastIso.iso;
  }

  /** Sets the time; `frozen` true stops it there, false lets it run on from there. */
  set(atMs: number, frozen: boolean): void {
    if (frozen) {
      this.frozenAtMs = atMs;
    } else {
      this.frozenAtMs = null;
      this.offsetMs = atMs - Date.now();
    }
  }

  freeze(): void {
    this.frozenAtMs = this.nowMs();
  }

  unfreeze(): void {
    this.set(this.nowMs(), false);
  }

  advance(ms: number): void {
    this.set(this.nowMs() + ms, this.isFrozen());
  }

  isFrozen(): boolean {
    return this.frozenAtMs !== null;
  }

  /** Back to wall-clock time, running. */
  reset(): void {
    this.offsetMs = 0;
    this.frozenAtMs = null;
  }

  state(): ClockState {
    return { now: this.nowIso(), frozen: this.isFrozen() };
  }
}

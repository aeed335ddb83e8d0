export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold?: number;
  /** How long the breaker stays open before it lets one probe through. */
  coolDownMs: number;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** Called on every state change (for logging). */
  onStateChange?: (from: BreakerState, to: BreakerState) => void;
}

export interface BreakerStatus {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: string | null;
  /** When the next probe is allowed (only while open). */
  retryAt: string | null;
  lastFailure: { message: string; at: string } | null;
}

/** Thrown instead of calling the guarded function while the breaker is open. */
export class CircuitOpenError extends Error {
  /** retryAt is null while a half-open probe is in flight. */
  constructor(readonly retryAt: Date | null) {
    super(retryAt ? `circuit open until ${retryAt.toISOString()}` : 'circuit half-open: a probe is in flight');
    this.name = 'CircuitOpenError';
  }
}

/**
 * A small circuit breaker: closed → (failureThreshold failures) → open → (coolDownMs) → half-open,
 * where exactly one probe call goes through; its success closes the breaker, its failure reopens it
 * for another cool-down. While open (and while a probe is in flight) calls fail fast with
 * CircuitOpenError, so an outage costs one timeout per cool-down instead of one per call.
 *
 * Failure messages are kept for status(); callers must only pass messages that hold no secrets.
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private readonly onStateChange?: (from: BreakerState, to: BreakerState) => void;
  private current: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt: number | null = null;
  private probeInFlight = false;
  private lastFailure: { message: string; at: number } | null = null;

  constructor(options: CircuitBreakerOptions) {
    if (!(options.coolDownMs > 0)) throw new Error('coolDownMs must be positive');
    this.failureThreshold = Math.max(1, options.failureThreshold ?? 1);
    this.coolDownMs = options.coolDownMs;
    this.now = options.now ?? Date.now;
    this.onStateChange = options.onStateChange;
  }

  /** The state as of now: an open breaker whose cool-down has passed reports half-open. */
  get state(): BreakerState {
    if (this.current === 'open' && this.coolDownElapsed()) return 'half-open';
    return this.current;
  }

  /** Runs fn unless the breaker is open; records its outcome. */
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const isProbe = this.admit();
    try {
      const result = await fn();
      this.recordSuccess();
      return result;
    } catch (err) {
      this.recordFailure(err instanceof Error ? err.message : String(err));
      throw err;
    } finally {
      if (isProbe) this.probeInFlight = false;
    }
  }

  status(): BreakerStatus {
    const state = this.state;
    return {
      state,
      consecutiveFailures: this.consecutiveFailures,
      openedAt: this.openedAt === null ? null : new Date(this.openedAt).toISOString(),
      retryAt: state === 'open' && this.openedAt !== null ? new Date(this.openedAt + this.coolDownMs).toISOString() : null,
      lastFailure: this.lastFailure && { message: this.lastFailure.message, at: new Date(this.lastFailure.at).toISOString() },
    };
  }

  /** Lets a call through or throws CircuitOpenError; returns whether the call is the half-open probe. */
  private admit(): boolean {
    if (this.current === 'closed') return false;
    if (this.current === 'open') {
      if (!this.coolDownElapsed()) throw new CircuitOpenError(new Date(this.openedAt! + this.coolDownMs));
      this.transition('half-open');
    }
    // half-open: one probe at a time; everyone else keeps failing fast until it answers.
    if (this.probeInFlight) throw new CircuitOpenError(null);
    this.probeInFlight = true;
    return true;
  }

  private recordSuccess(): void {
    this.consecutiveFailures = 0;
    if (this.current !== 'closed') {
      this.openedAt = null;
      this.transition('closed');
    }
  }

  private recordFailure(message: string): void {
    this.consecutiveFailures += 1;
    this.lastFailure = { message, at: this.now() };
    if (this.current === 'half-open' || this.consecutiveFailures >= this.failureThreshold) {
      this.openedAt = this.now();
      if (this.current !== 'open') this.transition('open');
    }
  }

  private coolDownElapsed(): boolean {
    return this.openedAt !== null && this.now() - this.openedAt >= this.coolDownMs;
  }

  private transition(to: BreakerState): void {
    const from = this.current;
    this.current = to;
    this.onStateChange?.(from, to);
  }
}

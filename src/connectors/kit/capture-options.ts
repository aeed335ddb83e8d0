/** Changes per poll by default, so a poll stays bounded (the workflow polls again at once while hasMore). */
export const MAX_CHANGES_PER_POLL = 1000;

/** What every polling source lets tests and callers tune. */
export interface CaptureOptions {
  maxChangesPerPoll?: number;
  /** The settle margin (see keyset-cursor.ts); each source documents its own default. */
  settleMs?: number;
  /** Epoch ms; injectable for tests of time-dependent rules. */
  now?: () => number;
}

export interface ResolvedCaptureOptions {
  budget: number;
  settleMs: number;
  now: () => number;
}

export function captureOptions(options: CaptureOptions, defaultSettleMs = 0): ResolvedCaptureOptions {
  return {
    budget: options.maxChangesPerPoll ?? MAX_CHANGES_PER_POLL,
    settleMs: options.settleMs ?? defaultSettleMs,
    now: options.now ?? Date.now,
  };
}

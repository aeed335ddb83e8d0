import { setTimeout as sleep } from 'node:timers/promises';

/** A limit's window as the guard keeps it: at most `requests` in any `perSeconds`. */
export interface Window {
  requests: number;
  perSeconds: number;
}

/** One request of this process on a bucket: when it was answered (settles when it is, or fails to be sent). */
interface Sent {
  answeredAt: Promise<number>;
}

/**
 * The requests this process sent on one bucket, latest last (the N last are kept). A system counts a
 * request when it arrives, before it answers; a request answered at `a` has left every window of T
 * seconds by a + T. So a request sent no earlier than T after the answer of the N-th before it never
 * makes N + 1 in a window, however late the earlier ones reached the system (a busy event loop, a
 * credentials read, connection set-up). The shared budget paces processes against each other with
 * SEND_JITTER_SECONDS of room; this takes the process's own lateness out of that room.
 */
class AnsweredWindow {
  private sent: Sent[] = [];
  /** Turns are given in the order asked for, so requests leave in the order their tokens allowed. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Turns asked for and not yet answered (or failed): while any is, the window is in use. */
  private open = 0;
  private lastAnsweredAt = performance.now();

  constructor(private readonly window: Window) {}

  /** Waits until one more request fits; answers the function that records its answer (call it once it settles). */
  turn(): Promise<() => void> {
    this.open += 1;
    const turn = this.queue.then(() => this.room());
    this.queue = turn.catch(() => undefined);
    return turn.then((answered) => {
      let once = false;
      return () => {
        if (once) return;
        once = true;
        this.open -= 1;
        this.lastAnsweredAt = performance.now();
        answered();
      };
    }, (err: unknown) => { this.open -= 1; throw err; });
  }

  /** Nothing is out and every request answered has left the window: forgetting it changes nothing. */
  idle(now: number): boolean {
    return this.open === 0 && now - this.lastAnsweredAt > this.window.perSeconds * 1000;
  }

  private async room(): Promise<() => void> {
    const { requests, perSeconds } = this.window;
    const nth = this.sent.length >= requests ? this.sent[this.sent.length - requests] : undefined;
    if (nth) {
      const leavesAt = (await nth.answeredAt) + perSeconds * 1000;
      const waitMs = leavesAt - performance.now();
      if (waitMs > 0) await sleep(waitMs);
    }
    let answered!: (at: number) => void;
    this.sent.push({ answeredAt: new Promise<number>((resolve) => { answered = resolve; }) });
    if (this.sent.length > requests) this.sent.splice(0, this.sent.length - requests);
    return () => answered(performance.now());
  }
}

/** Per bucket of a connection (`<connection>|<bucket>`), the requests this process sent on it. */
const windows = new Map<string, AnsweredWindow>();

/**
 * How often idle windows are forgotten: keyed buckets (a Slack channel each) would otherwise
 * grow the map for as long as a worker lives.
 */
const FORGET_IDLE_EVERY_MS = 60_000;
let forgottenAt = performance.now();

function forgetIdleWindows(): void {
  const now = performance.now();
  if (now - forgottenAt < FORGET_IDLE_EVERY_MS) return;
  forgottenAt = now;
  for (const [key, window] of windows) if (window.idle(now)) windows.delete(key);
}

/** How many windows this process keeps (for tests of their eviction). */
export function keptWindowCount(): number {
  return windows.size;
}

/** Forgets idle windows now, whenever they were last looked at (for tests). */
export function forgetIdleWindowsNow(): void {
  forgottenAt = -Infinity;
  forgetIdleWindows();
}

/**
 * Waits for room in each bucket's window (in name order, the same for every request: none waits on
 * another that waits on it); answers the function that records the request answered.
 */
export async function answeredWindowTurn(connectionId: string, buckets: Array<{ name: string; window?: Window }>): Promise<() => void> {
  forgetIdleWindows();
  const releases: Array<() => void> = [];
  for (const bucket of [...buckets].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!bucket.window) continue;
    const key = `${connectionId}|${bucket.name}`;
    let window = windows.get(key);
    if (!window) windows.set(key, window = new AnsweredWindow(bucket.window));
    releases.push(await window.turn());
  }
  return () => { for (const release of releases) release(); };
}

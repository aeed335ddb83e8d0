import { Presets, SingleBar } from 'cli-progress';
import type { ApiClient } from './api-client';
import type { Load, LoadStatus } from './api-types';
import { sleep } from './sleep';

/** What a watch waits for: the write (or dry run) of a load, or its rollback. */
export type WatchKind = 'run' | 'rollback';

const SETTLED: Record<WatchKind, LoadStatus[]> = {
  run: ['completed', 'failed', 'cancelled', 'rolled_back'],
  rollback: ['rolled_back', 'failed', 'cancelled'],
};

/** Records done out of the total, as the load's counts tell it. */
export function progressOf(load: Load, kind: WatchKind): { done: number; total: number } {
  const c = load.counts;
  if (kind === 'rollback') {
    const undone = (c.rolledBack ?? 0) + (c.rollbackFailed ?? 0);
    return { done: undone, total: undone + c.created + c.updated + c.deleted };
  }
  if (load.dryRun && load.plan) {
    const p = load.plan;
    return { done: p.create + p.update + p.delete + p.unchanged + c.failed, total: c.total };
  }
  return { done: c.created + c.updated + c.deleted + c.unchanged + c.failed, total: c.total };
}

export interface WatchOptions {
  kind: WatchKind;
  /** Draw a progress bar on stderr (a TTY, without --json). */
  bar: boolean;
  intervalMs: number;
  /** Told each answer, for a caller that must know the load's latest state (Ctrl-C). */
  onPoll?: (load: Load) => void;
}

/** Polls GET /v1/loads/:id until the load settles, drawing records done, rate and ETA. */
export async function watchLoad(client: ApiClient, id: string, opts: WatchOptions): Promise<Load> {
  const bar = opts.bar ? new SingleBar({
    stream: process.stderr,
    format: `${opts.kind === 'rollback' ? 'rolling back' : 'loading'} |{bar}| {percentage}% {value}/{total} records | {rate}/s | ETA {eta}`,
    hideCursor: true,
    etaBuffer: 30,
    fps: 5,
  }, Presets.shades_classic) : undefined;
  let started: { at: number; done: number } | undefined;
  try {
    for (;;) {
      const load = await client.get<Load>(`/v1/loads/${encodeURIComponent(id)}`);
      opts.onPoll?.(load);
      const { done, total } = progressOf(load, opts.kind);
      if (bar && total > 0) {
        started ??= { at: Date.now(), done };
        const seconds = (Date.now() - started.at) / 1000;
        const rate = seconds > 0 ? (done - started.done) / seconds : 0;
        const payload = { rate: Math.round(rate), eta: etaText(total - done, rate) };
        if (!bar.isActive) bar.start(total, done, payload);
        else if (bar.getTotal() !== total) bar.setTotal(total);
        bar.update(done, payload);
      }
      if (SETTLED[opts.kind].includes(load.status)) return load;
      await sleep(opts.intervalMs);
    }
  } finally {
    bar?.stop();
  }
}

/** Time left at the rate seen since the watch began ('-' until a record is done). */
export function etaText(remaining: number, perSecond: number): string {
  if (remaining <= 0) return '0s';
  if (perSecond <= 0) return '-';
  const s = Math.ceil(remaining / perSecond);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

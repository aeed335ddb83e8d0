import {
  CancellationScope, condition, proxyActivities, setHandler, upsertSearchAttributes,
} from '@temporalio/workflow';
import type { LoadActivities } from '../activities/load';
import type { LoadPhase, LoadRunSettings, LoadStatus } from '../src/platform/load/model';
import {
  cancelLoadSignal, loadProgressQuery, rollbackLoadSignal, type LoadProgress, type LoadWorkflowInput,
} from '../src/platform/workflow-api';
import { NON_RETRYABLE_ERROR_TYPES } from '../src/platform/error-kinds';
import { ForgeLoadStatus } from '../src/platform/search-attributes';

const CHUNK_CONCURRENCY = 4;

// Transient failures retry with backoff (Retry-After arrives as nextRetryDelay); permanent and
// validation failures never retry: one attempt against a system's auth, never a lockout.
const activities = proxyActivities<LoadActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 30,
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  },
});

function emptyCounts(): LoadProgress['counts'] {
  return { created: 0, updated: 0, deleted: 0, unchanged: 0, failed: 0, verified: 0, mismatched: 0, rolledBack: 0, rollbackFailed: 0 };
}

function messageOf(err: unknown): string {
  const e = err as { cause?: { message?: string }; message?: string };
  return e?.cause?.message ?? e?.message ?? String(err);
}

/** Runs fn over chunks 0..count-1, at most `lanes` at a time, in a deterministic order. */
async function forEachChunk(count: number, lanes: number, fn: (chunk: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, lane));
}

/**
 * The load saga: per chunk snapshot → write → verify, each chunk registering its compensation
 * before it writes (a write that fails midway may have applied part of its batch). On failure,
 * cancel, or a rollback signal inside the window, compensations run newest first, in a scope
 * that cancellation cannot interrupt. Records and their before-images stay in Postgres: this
 * workflow carries ids and counts only.
 */
export async function loadWorkflow(input: LoadWorkflowInput): Promise<LoadProgress> {
  const { loadId } = input;
  const progress: LoadProgress = { status: 'pending', phase: 'starting', chunks: { total: 0, done: 0 }, counts: emptyCounts() };
  let cancelRequested = false;
  let rollbackRequested = false;
  setHandler(loadProgressQuery, () => progress);
  setHandler(cancelLoadSignal, () => { cancelRequested = true; });
  setHandler(rollbackLoadSignal, () => { rollbackRequested = true; });

  const enter = async (status: LoadStatus, phase: LoadPhase, extra: { error?: string; rollbackWindowStarts?: boolean } = {}) => {
    progress.status = status;
    progress.phase = phase;
    if (extra.error) progress.error = extra.error;
    upsertSearchAttributes([{ key: ForgeLoadStatus, value: status }]);
    await activities.recordLoadStatus(loadId, status, phase, extra);
  };
  const addCounts = (c: Partial<LoadProgress['counts']>) => {
    for (const [k, v] of Object.entries(c)) progress.counts[k as keyof LoadProgress['counts']] += v ?? 0;
  };

  const plan: LoadRunSettings = await activities.beginLoad(loadId);
  progress.chunks.total = plan.chunkCount;
  if (plan.dryRun) {
    await enter('running', 'planning');
    await forEachChunk(plan.chunkCount, CHUNK_CONCURRENCY, async (chunk) => {
      addCounts(await activities.planChunk(loadId, chunk));
      progress.chunks.done++;
    });
    await enter('completed', 'done');
    return progress;
  }

  await enter('running', 'writing');
  const compensations: number[] = [];
  let failure: string | undefined;
  const stopped = () => cancelRequested || failure !== undefined;
  await forEachChunk(plan.chunkCount, CHUNK_CONCURRENCY, async (chunk) => {
    if (stopped()) return;
    try {
      await activities.snapshotChunk(loadId, chunk);
      if (stopped()) return;
      compensations.unshift(chunk);
      const written = await activities.writeChunk(loadId, chunk);
      addCounts(written);
      if (written.failed > 0 && plan.onError === 'rollback') failure ??= `${written.failed} record(s) failed in chunk ${chunk}`;
      if (plan.verify && !stopped()) {
        const verified = await activities.verifyChunk(loadId, chunk);
        addCounts(verified);
        if (verified.mismatched > 0 && plan.onError === 'rollback') {
          failure ??= `${verified.mismatched} record(s) read back differently from what was written in chunk ${chunk}`;
        }
      }
      progress.chunks.done++;
    } catch (err) {
      failure ??= messageOf(err);
    }
  });

  const compensate = async (): Promise<string | undefined> => CancellationScope.nonCancellable(async () => {
    const problems: string[] = [];
    for (const chunk of compensations) {
      try {
        const undone = await activities.rollbackChunk(loadId, chunk);
        addCounts(undone);
        if (undone.rollbackFailed > 0) problems.push(`${undone.rollbackFailed} record(s) in chunk ${chunk} could not be restored`);
      } catch (err) {
        problems.push(`chunk ${chunk}: ${messageOf(err)}`);
      }
    }
    return problems.length ? `rollback incomplete: ${problems.join('; ')}` : undefined;
  });

  if (cancelRequested) {
    await enter('cancelling', 'rolling_back');
    const problem = await compensate();
    await enter(problem ? 'failed' : 'cancelled', 'done', { error: problem });
    return progress;
  }
  if (failure !== undefined) {
    await enter('rolling_back', 'rolling_back', { error: failure });
    const problem = await compensate();
    await enter(problem ? 'failed' : 'rolled_back', 'done', { error: problem ? `${failure}; ${problem}` : failure });
    return progress;
  }

  await enter('completed', 'waiting_for_rollback_window', { rollbackWindowStarts: true });
  if (plan.rollbackWindowSeconds > 0 && await condition(() => rollbackRequested, plan.rollbackWindowSeconds * 1000)) {
    await enter('rolling_back', 'rolling_back');
    const problem = await compensate();
    await enter(problem ? 'failed' : 'rolled_back', 'done', { error: problem });
    return progress;
  }
  progress.phase = 'done';
  await activities.recordLoadStatus(loadId, 'completed', 'done', {});
  return progress;
}

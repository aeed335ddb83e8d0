import {
  CancellationScope, condition, patched, proxyActivities, setHandler, upsertSearchAttributes,
} from '@temporalio/workflow';
import type { LoadActivities } from '../activities/load';
import type { LoadPhase, LoadRunSettings, LoadStatus } from '../src/platform/load/model';
import { segmentsOf, type Segment } from '../src/platform/load/segments';
import {
  cancelLoadSignal, loadProgressQuery, rollbackLoadSignal, type LoadProgress, type LoadWorkflowInput,
} from '../src/platform/workflow-api';
import { NON_RETRYABLE_ERROR_TYPES } from '../src/platform/error-kinds';
import { ForgeLoadStatus } from '../src/platform/search-attributes';

/** Lanes of loads started before LoadRunSettings carried segmentLanes. */
const DEFAULT_SEGMENT_LANES = 4;

/**
 * Loads started before segments were sized by lanes (and asked to stop between chunks) replay with
 * one chunk per segment and no stop request.
 */
const SEGMENTS_BY_LANES = 'segments-sized-by-lanes';

// Transient failures retry with backoff (Retry-After arrives as nextRetryDelay); permanent and
// validation failures never retry: one attempt against a system's auth, never a lockout.
const activities = proxyActivities<LoadActivities>({
  // A segment covers up to chunkCount / MAX_SEGMENTS chunks; heartbeats (every 2 s) notice a dead worker.
  startToCloseTimeout: '2 hours',
  // Heartbeats go out every 2 s; 30 s of silence means the worker is gone (not merely starved of CPU).
  heartbeatTimeout: '30 seconds',
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

/** Runs fn over the segments, at most `lanes` at a time, in a deterministic order. */
async function forEachSegment(segments: Segment[], lanes: number, fn: (segment: Segment) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < segments.length) await fn(segments[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, segments.length) }, lane));
}

/**
 * The load saga: per segment of chunks (src/platform/load/segments.ts) snapshot → write → verify,
 * each segment registering its compensation before it writes (a write that fails midway may have
 * applied part of its batch). On failure,
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
  const lanes = plan.segmentLanes ?? DEFAULT_SEGMENT_LANES;
  const segmentsByLanes = patched(SEGMENTS_BY_LANES);
  const segments = segmentsByLanes ? segmentsOf(plan.chunkCount, lanes) : segmentsOf(plan.chunkCount);
  progress.chunks.total = plan.chunkCount;
  const chunksIn = (segment: Segment) => segment.lastChunk - segment.firstChunk + 1;
  if (plan.dryRun) {
    await enter('running', 'planning');
    try {
      await forEachSegment(segments, lanes, async (segment) => {
        addCounts(await activities.planSegment(loadId, segment));
        progress.chunks.done += chunksIn(segment);
      });
    } catch (err) {
      // Nothing was written, so nothing to roll back: the load ends failed with the reason.
      await enter('failed', 'done', { error: messageOf(err) });
      return progress;
    }
    await enter('completed', 'done');
    return progress;
  }

  await enter('running', 'writing');
  const compensations: Segment[] = [];
  let failure: string | undefined;
  const stopped = () => cancelRequested || failure !== undefined;
  let segmentsDone = false;
  // A cancel or a failure asks the running segments (through Postgres) to stop after their current
  // chunk; they are still awaited, so no compensation starts while one of them writes. (Cancelling
  // the activities through Temporal did not do: the workflow went on to compensate at once, beside a
  // segment still writing, as a running activity's start enters the history only when it ends.)
  const askSegmentsToStop = async () => {
    await condition(() => stopped() || segmentsDone);
    if (segmentsByLanes && stopped() && !segmentsDone) await activities.requestSegmentsStop(loadId);
  };
  const writeSegments = async () => {
    await forEachSegment(segments, lanes, async (segment) => {
      if (stopped()) return;
      // Registered before the write: a segment that fails midway may have applied part of a batch.
      compensations.unshift(segment);
      try {
        const outcome = await activities.runSegment(loadId, segment, plan.verify);
        addCounts(outcome.counts);
        progress.chunks.done += outcome.chunksDone;
        if (outcome.failure) failure ??= outcome.failure;
      } catch (err) {
        failure ??= messageOf(err);
      }
    });
    segmentsDone = true;
  };
  await Promise.all([writeSegments(), askSegmentsToStop()]);

  const compensate = async (): Promise<string | undefined> => CancellationScope.nonCancellable(async () => {
    const problems: Array<{ segment: number; problem: string }> = [];
    const undo = async (segment: Segment) => {
      const chunks = `chunk${segment.firstChunk === segment.lastChunk ? ` ${segment.firstChunk}` : `s ${segment.firstChunk}–${segment.lastChunk}`}`;
      try {
        const undone = await activities.rollbackSegment(loadId, segment);
        addCounts(undone);
        if (undone.rollbackFailed > 0) problems.push({ segment: segment.index, problem: `${undone.rollbackFailed} record(s) in ${chunks} could not be restored` });
      } catch (err) {
        problems.push({ segment: segment.index, problem: `${chunks}: ${messageOf(err)}` });
      }
    };
    // Newest first, one at a time, when two segments touched the same record (the older
    // before-image must be restored last); otherwise the segments are independent and run in lanes.
    const rollbackLanes = segmentsByLanes ? await activities.rollbackLanes(loadId, lanes) : 1;
    if (rollbackLanes > 1) await forEachSegment(compensations, rollbackLanes, undo);
    else for (const segment of compensations) await undo(segment);
    problems.sort((a, b) => b.segment - a.segment);
    return problems.length ? `rollback incomplete: ${problems.map((p) => p.problem).join('; ')}` : undefined;
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

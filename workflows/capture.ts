import {
  condition, continueAsNew, proxyActivities, setHandler,
  upsertMemo, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { activityError, isNonRetryable, pauseSignal, pollingRetry, resumeSignal, stopSignal } from './polling-controls';
import type { CaptureActivities } from '../activities/capture';
import {
  captureStatusQuery, DEFAULT_POLLS_PER_RUN, type CaptureError, type CaptureState, type CaptureWorkflowInput, type PollingStatus,
} from '../src/platform/workflow-api';
import { ForgeConnector, ForgeObject, ForgeTenant } from '../src/platform/search-attributes';

// Transient failures retry with backoff (Retry-After arrives as nextRetryDelay), a bounded number of
// times; then the workflow records the error and tries again on the next interval. Permanent and
// validation failures are never retried: one attempt against a system's auth, never a lockout.
const activities = proxyActivities<CaptureActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  retry: pollingRetry,
});

const failureOf = (err: unknown): CaptureError => activityError(err);

function initialState(): CaptureState {
  return {
    status: 'running', lastPollAt: null, cursorSummary: null, lagSeconds: null, eventsCaptured: 0, lastError: null,
    polls: 0, pollsThisRun: 0, runs: 0,
  };
}

/**
 * A capture: poll the source into the Stream (at once again while the source has more, else after
 * `intervalSeconds`), until stopped. The cursor lives in Postgres and moves with the events it
 * produced (activities/capture.ts); this workflow carries counters and status only, and continues
 * as new every `pollsPerRun` polls (or when Temporal suggests it) so its history stays short.
 * A permanent failure (bad credentials, a missing scope) pauses the capture with its reason.
 */
export async function captureWorkflow(input: CaptureWorkflowInput): Promise<CaptureState> {
  const { captureId, intervalSeconds } = input;
  const pollsPerRun = Math.max(1, input.pollsPerRun ?? DEFAULT_POLLS_PER_RUN);
  const state: CaptureState = input.state ? { ...input.state, pollsThisRun: 0 } : initialState();
  let stopRequested = false;

  setHandler(captureStatusQuery, () => state);
  setHandler(pauseSignal, () => { if (state.status === 'running') state.status = 'paused'; });
  setHandler(resumeSignal, () => { if (state.status === 'paused') state.status = 'running'; });
  setHandler(stopSignal, () => { stopRequested = true; });

  if (!input.state) {
    upsertSearchAttributes([
      { key: ForgeTenant, value: input.tenantId },
      ...(input.connector ? [{ key: ForgeConnector, value: input.connector }] : []),
      ...(input.object ? [{ key: ForgeObject, value: input.object }] : []),
    ]);
  }
  let recordedStatus: PollingStatus | null = input.state ? state.status : null;

  /** Postgres and the Web UI's memo follow the workflow's status (and the error behind a pause). */
  const publishStatus = async (error?: CaptureError | null) => {
    if (recordedStatus === state.status && error === undefined) return;
    upsertMemo({ captureStatus: state.status, pauseReason: state.status === 'paused' ? state.lastError?.message ?? 'paused by request' : null });
    await activities.recordCaptureStatus(captureId, state.status, error);
    recordedStatus = state.status;
  };

  while (!stopRequested) {
    if (state.status === 'paused') {
      await publishStatus();
      await condition(() => stopRequested || state.status !== 'paused');
      continue;
    }
    // Resumed (or never paused): a resume after a permanent error clears the error it paused on.
    if (recordedStatus !== 'running') await publishStatus(recordedStatus === 'paused' ? null : undefined);

    if (state.pollsThisRun >= pollsPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof captureWorkflow>({ ...input, state: { ...state, runs: state.runs + 1 } });
    }

    let pollAgainAtOnce = false;
    try {
      const result = await activities.pollCapture(captureId);
      state.polls++;
      state.pollsThisRun++;
      state.lastPollAt = new Date().toISOString();
      state.eventsCaptured += result.appended;
      state.lagSeconds = result.lagSeconds;
      state.cursorSummary = result.cursorSummary;
      state.lastError = null;
      if (result.stopped) break;
      pollAgainAtOnce = result.hasMore;
    } catch (err) {
      state.polls++;
      state.pollsThisRun++;
      state.lastError = failureOf(err);
      if (isNonRetryable(state.lastError)) {
        state.status = 'paused';
        await publishStatus(state.lastError);
        continue;
      }
      await activities.recordCaptureError(captureId, state.lastError);
    }
    if (!pollAgainAtOnce) {
      await condition(() => stopRequested || state.status !== 'running', intervalSeconds * 1000);
    }
  }

  state.status = 'stopped';
  await publishStatus();
  return state;
}

import {
  condition, continueAsNew, proxyActivities, setHandler,
  upsertMemo, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import {
  bridgeStatusQuery, DEFAULT_POLLS_PER_RUN, emptyDirection, type BridgeError, type BridgeSideName, type BridgeState, type BridgeWorkflowInput, type PollingStatus,
} from '../src/platform/workflow-api';
import { activityError, isNonRetryable, pauseSignal, pollingRetry, resumeSignal, stopSignal } from './polling-controls';
import type { BridgeActivities } from '../activities/bridge';
import { ForgeTenant } from '../src/platform/search-attributes';

const SIDES: BridgeSideName[] = ['slack', 'teams'];


const activities = proxyActivities<BridgeActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  retry: pollingRetry,
});

const failureOf = (err: unknown, side: BridgeSideName): BridgeError => ({ ...activityError(err), side });

function initialState(): BridgeState {
  return {
    status: 'running', lastSyncAt: null, copied: { slack: 0, teams: 0 }, dropped: { slack: 0, teams: 0 }, failed: 0,
    lastError: null, polls: 0, pollsThisRun: 0, runs: 0, directions: { slack: emptyDirection(), teams: emptyDirection() },
  };
}

/**
 * A bridge: sync Slack -> Teams, then Teams -> Slack (activities/bridge.ts), at once again while a
 * side has more, else after `intervalSeconds`, until stopped. Cursors and the copy mapping live in
 * Postgres; this workflow carries counters and status (per direction: copies, last copy time, lag,
 * last error) only and continues as new every
 * `pollsPerRun` syncs. A permanent failure pauses the bridge with its reason.
 */
export async function bridgeWorkflow(input: BridgeWorkflowInput): Promise<BridgeState> {
  const { bridgeId, intervalSeconds } = input;
  const pollsPerRun = Math.max(1, input.pollsPerRun ?? DEFAULT_POLLS_PER_RUN);
  const state: BridgeState = input.state ? { ...input.state, pollsThisRun: 0 } : initialState();
  const directions = state.directions ??= {
    slack: { ...emptyDirection(), copied: state.copied.slack },
    teams: { ...emptyDirection(), copied: state.copied.teams },
  };
  let stopRequested = false;

  setHandler(bridgeStatusQuery, () => state);
  setHandler(pauseSignal, () => { if (state.status === 'running') state.status = 'paused'; });
  setHandler(resumeSignal, () => { if (state.status === 'paused') state.status = 'running'; });
  setHandler(stopSignal, () => { stopRequested = true; });

  if (!input.state) upsertSearchAttributes([{ key: ForgeTenant, value: input.tenantId }]);
  let recordedStatus: PollingStatus | null = input.state ? state.status : null;

  const publishStatus = async (error?: BridgeError | null) => {
    if (recordedStatus === state.status && error === undefined) return;
    upsertMemo({ bridgeStatus: state.status, pauseReason: state.status === 'paused' ? state.lastError?.message ?? 'paused by request' : null });
    await activities.recordBridgeStatus(bridgeId, state.status, error ? { message: error.message, ...(error.kind ? { kind: error.kind } : {}) } : error);
    recordedStatus = state.status;
  };

  outer:
  while (!stopRequested) {
    if (state.status === 'paused') {
      await publishStatus();
      await condition(() => stopRequested || state.status !== 'paused');
      continue;
    }
    if (recordedStatus !== 'running') await publishStatus(recordedStatus === 'paused' ? null : undefined);

    if (state.pollsThisRun >= pollsPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof bridgeWorkflow>({ ...input, state: { ...state, runs: state.runs + 1 } });
    }

    let again = false;
    for (const side of SIDES) {
      if (stopRequested || state.status !== 'running') continue outer;
      state.polls++;
      state.pollsThisRun++;
      try {
        const result = await activities.syncBridgeSide(bridgeId, side);
        state.lastSyncAt = new Date().toISOString();
        state.copied[side] += result.applied;
        directions[side].copied += result.applied;
        if (result.lastCopy) directions[side] = { ...directions[side], lastCopyAt: result.lastCopy.at, lagSeconds: result.lastCopy.lagSeconds ?? directions[side].lagSeconds };
        state.dropped[side] += result.dropped;
        state.failed += result.failed;
        state.lastError = null;
        if (result.stopped) break outer;
        again ||= result.hasMore;
      } catch (err) {
        state.lastError = failureOf(err, side);
        directions[side].lastError = { ...state.lastError, at: new Date().toISOString() };
        if (isNonRetryable(state.lastError)) {
          state.status = 'paused';
          await publishStatus(state.lastError);
          continue outer;
        }
        await activities.recordBridgeError(bridgeId, state.lastError);
      }
    }
    if (!again) await condition(() => stopRequested || state.status !== 'running', intervalSeconds * 1000);
  }

  state.status = 'stopped';
  await publishStatus();
  return state;
}

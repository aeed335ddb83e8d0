import { defineQuery } from '@temporalio/workflow';
import type { ActivityError, PollingStatus } from './polling';

export const CAPTURE_WORKFLOW = 'captureWorkflow';

export type CaptureError = ActivityError;

/** What the `status` query answers; also what a run hands to the next one at continue-as-new. */
export interface CaptureState {
  status: PollingStatus;
  /** ISO time of the last poll that completed (workflow time). */
  lastPollAt: string | null;
  cursorSummary: string | null;
  lagSeconds: number | null;
  /** Events this workflow appended to the Stream, over all its runs. */
  eventsCaptured: number;
  lastError: CaptureError | null;
  /** Polls over all runs. */
  polls: number;
  /** Polls in this run (continue-as-new after `pollsPerRun`). */
  pollsThisRun: number;
  /** How many runs came before this one. */
  runs: number;
}
export const captureStatusQuery = defineQuery<CaptureState>('status');

export interface CaptureWorkflowInput {
  captureId: string;
  tenantId: string;
  intervalSeconds: number;
  connector?: string;
  object?: string;
  /** Polls per run before continue-as-new (DEFAULT_POLLS_PER_RUN). */
  pollsPerRun?: number;
  /** Carried over by continue-as-new. */
  state?: CaptureState;
}

import { defineSignal } from '@temporalio/workflow';

/** The control signals every long-lived polling workflow (capture, bridge) answers. */
export const pauseSignal = defineSignal('pause');
/** Poll again (also after a pause caused by a permanent error, once its cause is fixed). */
export const resumeSignal = defineSignal('resume');
/** End the workflow for good. */
export const stopSignal = defineSignal('stop');
export const pollingSignals = { pause: pauseSignal, resume: resumeSignal, stop: stopSignal } as const;
export type PollingSignalName = keyof typeof pollingSignals;

export type PollingStatus = 'running' | 'paused' | 'stopped';

export interface ActivityError {
  message: string;
  /** The error taxonomy's kind (the ApplicationFailure type), when the activity said. */
  kind?: string;
}

/** Polls per run before continue-as-new by default; history stays bounded whatever the uptime. */
export const DEFAULT_POLLS_PER_RUN = 500;

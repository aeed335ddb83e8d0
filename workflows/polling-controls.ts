import { ActivityFailure, ApplicationFailure, type RetryPolicy } from '@temporalio/workflow';
import type { ActivityError } from '../src/platform/workflow-api/polling';
export { pauseSignal, resumeSignal, stopSignal } from '../src/platform/workflow-api/polling';
import { NON_RETRYABLE_ERROR_TYPES } from '../src/platform/error-kinds';

// What every long-lived polling workflow (capture, bridge) shares: its control signals and how it
// reads an activity's failure. Deterministic code only.

/** The message and kind of a failed activity (already redacted by the activity). */
export function activityError(err: unknown): ActivityError {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return { message: cause.message, ...(cause.type ? { kind: cause.type } : {}) };
  return { message: cause instanceof Error ? cause.message : String(cause) };
}

/** Permanent and validation failures: retrying cannot help, so the workflow pauses with the reason. */
export function isNonRetryable(error: ActivityError): boolean {
  return error.kind !== undefined && (NON_RETRYABLE_ERROR_TYPES as string[]).includes(error.kind);
}

/** Retry policy for polling activities: a few tries with backoff, never against a permanent error. */
export const pollingRetry: RetryPolicy = {
  initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5,
  nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
};

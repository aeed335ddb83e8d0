/**
 * The error taxonomy's pure vocabulary (DESIGN.md "Error taxonomy"). No imports: workflow code
 * (which must stay free of node modules) reads its retry policy from here.
 */

export const ERROR_KINDS = ['permanent', 'transient', 'validation', 'not_found', 'conflict'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/**
 * Failure types a retry policy must never retry: `nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES`.
 * not_found and conflict are handled by the operations that expect them (read-after-delete, upsert
 * races); one that reaches the activity boundary was not expected, and repeating the same request
 * for half an hour cannot change the answer.
 * Frozen at run time but typed as a plain array because Temporal's RetryPolicy wants `string[]`.
 */
export const NON_RETRYABLE_ERROR_TYPES = Object.freeze(['permanent', 'validation', 'not_found', 'conflict']) as ErrorKind[];

/** The longest a Retry-After header may make us wait unless a connector says otherwise. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 5 * 60 * 1000;

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}

export function isRetryableKind(kind: ErrorKind): boolean {
  return !NON_RETRYABLE_ERROR_TYPES.includes(kind);
}

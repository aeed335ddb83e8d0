import type { FieldError } from '../contract';
import { bodyString, recordLevelErrors } from '../kit';

/**
 * Stripe's error body (docs.stripe.com/api/errors): { error: { type, code?, param?, message,
 * doc_url? } }. `param` is in form notation (`metadata[plan]`, `recurring[interval]`); fields are
 * reported in the platform's dotted notation (`metadata.plan`).
 */
export function fieldName(param: string): string {
  return param.replace(/\[([^\]]*)\]/g, '.$1');
}

/** The offending parameter of a validation error, for the HTTP client's extractFields. */
export function extractFields(body: unknown): FieldError[] {
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  if (!error) return [];
  const message = typeof error.message === 'string' ? error.message : String(error.code ?? 'invalid value');
  return [{ field: typeof error.param === 'string' && error.param !== '' ? fieldName(error.param) : '*', message }];
}

/** Stripe's error code (`resource_missing`, `parameter_invalid_integer`...), else its type, for the HTTP client's extractCode. */
export function extractCode(body: unknown): string | undefined {
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  const code = error?.code ?? error?.type;
  return typeof code === 'string' ? code : undefined;
}

/** Errors that are about one record (refused parameters, a missing object): the record fails, the load goes on. */
export function recordErrors(err: unknown): FieldError[] | undefined {
  if (bodyString(err, 'error', 'type') === 'idempotency_error') return undefined; // our bug, not the record's
  return recordLevelErrors(err, stripeMessage);
}

/** Stripe's own words for a failure (the body's error.message), else the error's message. */
export function stripeMessage(err: unknown): string {
  return bodyString(err, 'error', 'message') ?? (err instanceof Error ? err.message : String(err));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { isConnectorError, type ConnectorError } from '../../platform/errors';
import type { FieldError } from '../contract';

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

/** Errors that are about one record (refused parameters, a missing object): the record fails, the load goes on. */
export function recordErrors(err: unknown): FieldError[] | undefined {
  if (!isConnectorError(err)) return undefined;
  if (err.kind !== 'validation' && err.kind !== 'not_found') return undefined;
  if (err.status === 400 && /idempotency_error/.test(err.message)) return undefined; // our bug, not the record's
  return err.fields?.length ? err.fields : [{ field: '*', message: stripeMessage(err) }];
}

/** Stripe's own words, read back from a ConnectorError's message ("stripe answered HTTP 400: {...}"). */
export function stripeMessage(err: ConnectorError): string {
  const start = err.message.indexOf('{');
  if (start >= 0) {
    try {
      const body: unknown = JSON.parse(err.message.slice(start));
      if (isObject(body) && isObject(body.error) && typeof body.error.message === 'string') return body.error.message;
    } catch {
      // a truncated body: fall back to the whole message
    }
  }
  return err.message;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

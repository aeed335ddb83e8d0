import { isConnectorError } from '../../platform/errors';
import type { FieldError } from '../../platform/records';

/**
 * Reading a vendor's error out of a ConnectorError: the HTTP client keeps the parsed body
 * (scrubbed) and the vendor's code on the error, so nobody parses JSON back out of a message.
 */
export function errorBody(err: unknown): Record<string, unknown> | null {
  if (!isConnectorError(err)) return null;
  const body = err.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? body as Record<string, unknown> : null;
}

/** The vendor's error code of a ConnectorError (undefined for other errors). */
export function errorCode(err: unknown): string | undefined {
  return isConnectorError(err) ? err.code : undefined;
}

/** The string at `path` of the error's body, else undefined. */
export function bodyString(err: unknown, ...path: string[]): string | undefined {
  let node: unknown = errorBody(err);
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return typeof node === 'string' && node !== '' ? node : undefined;
}

/**
 * The field errors of a failure that belongs to one record (a refused value, a record that vanished):
 * the record fails and the load goes on. Undefined for failures of the whole call (auth, limits,
 * outages), which are thrown for the activity's retry policy.
 */
export function recordLevelErrors(err: unknown, message?: (err: unknown) => string): FieldError[] | undefined {
  if (!isConnectorError(err) || (err.kind !== 'validation' && err.kind !== 'not_found')) return undefined;
  return err.fields?.length ? err.fields : [{ field: '*', message: message?.(err) ?? err.message }];
}

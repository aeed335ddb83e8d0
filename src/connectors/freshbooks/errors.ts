import type { FieldError } from '../contract';
import { recordLevelErrors } from '../kit';

/**
 * FreshBooks' accounting errors (freshbooks.com/api/errors): { response: { errors: [{ errno,
 * field, message, object, value }] } }, 422 for refused values and 404 errno 1012 for unknown ids.
 */
interface AccountingError {
  errno?: unknown;
  field?: unknown;
  message?: unknown;
  object?: unknown;
}

/** UnknownResource: no such id. */
export const UNKNOWN_RESOURCE = '1012';

function errorsOf(body: unknown): AccountingError[] {
  const response = isObject(body) && isObject(body.response) ? body.response : undefined;
  return Array.isArray(response?.errors) ? response.errors.filter(isObject) : [];
}

export function extractCode(body: unknown): string | undefined {
  const errno = errorsOf(body)[0]?.errno;
  return errno === undefined || errno === null ? undefined : String(errno);
}

/** The fields in the platform's names: a line's fields are the invoice's `lines`. */
export function extractFields(body: unknown): FieldError[] {
  return errorsOf(body).map((e) => ({
    field: e.object === 'line' ? 'lines' : typeof e.field === 'string' && e.field !== '' ? e.field : '*',
    message: typeof e.message === 'string' ? e.message : `FreshBooks error ${String(e.errno ?? '')}`,
  }));
}

export function recordErrors(err: unknown): FieldError[] | undefined {
  return recordLevelErrors(err);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

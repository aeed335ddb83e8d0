import type { BatchRefusal } from '../../platform/batch-isolation';
import { isConnectorError } from '../../platform/errors';
import type { FieldError } from '../contract';
import { bodyString } from '../kit';

/**
 * Reading HubSpot's error bodies: { status: 'error', message, category, errors?: [{ message, code,
 * context: { propertyName: [...] } }] } (developers.hubspot.com "Handling errors").
 */
interface HubspotErrorDetail {
  message?: unknown;
  code?: unknown;
  context?: { propertyName?: unknown };
}

/** The offending properties of a validation error, for the HTTP client's extractFields. */
export function extractFields(body: unknown): FieldError[] {
  const details = errorDetails(body);
  const fields = details.flatMap((detail) => {
    const names = Array.isArray(detail.context?.propertyName) ? detail.context.propertyName : [];
    const message = typeof detail.message === 'string' ? detail.message : String(detail.code ?? 'invalid value');
    return names.filter((n): n is string => typeof n === 'string').map((field) => ({ field, message }));
  });
  return fields.length > 0 ? fields : fieldsFromMessage(body);
}

/** HubSpot's error category (VALIDATION_ERROR, CONFLICT, OBJECT_NOT_FOUND...), for the HTTP client's extractCode. */
export function extractCode(body: unknown): string | undefined {
  return isObject(body) && typeof body.category === 'string' ? body.category : undefined;
}

function errorDetails(body: unknown): HubspotErrorDetail[] {
  const errors = isObject(body) ? body.errors : undefined;
  return Array.isArray(errors) ? errors.filter(isObject) as HubspotErrorDetail[] : [];
}

/** Older bodies carry only "Property values were not valid: [{ name, message, ... }]" in the message. */
function fieldsFromMessage(body: unknown): FieldError[] {
  const message = isObject(body) && typeof body.message === 'string' ? body.message : '';
  const list = /Property values were not valid: (\[.*\])\s*$/s.exec(message)?.[1];
  if (!list) return [];
  const parsed: unknown = JSON.parse(list);
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(isObject).filter((p) => typeof p.name === 'string')
    .map((p) => ({ field: p.name as string, message: typeof p.message === 'string' ? p.message : 'invalid value' }));
}

/** HubSpot's own words for a failure (the body's message), else the error's message. */
export function hubspotMessage(err: unknown): string {
  return bodyString(err, 'message') ?? (err instanceof Error ? err.message : String(err));
}

/** The unique property a 409 CONFLICT is about: 'A company with domain "x" already exists', 'Contact already exists'. */
export function conflictField(message: string, fallback: string): string {
  const named = /\bwith (\w+) "/.exec(message)?.[1];
  if (named) return named;
  if (/Contact already exists/i.test(message)) return 'email';
  return fallback;
}

/**
 * How a refused batch write is isolated: validation (400) and conflicts (409) are about some input,
 * but HubSpot does not say which, so the batch is split; everything else is not about records.
 */
export function classifyBatchRefusal(err: unknown, keyField: string): BatchRefusal {
  if (!isConnectorError(err)) return { kind: 'fatal' };
  const message = hubspotMessage(err);
  if (err.kind === 'validation') {
    return { kind: 'unattributed', errors: err.fields?.length ? err.fields : [{ field: '*', message }] };
  }
  if (err.kind === 'conflict') return { kind: 'unattributed', errors: [{ field: conflictField(message, keyField), message }] };
  return { kind: 'fatal' };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

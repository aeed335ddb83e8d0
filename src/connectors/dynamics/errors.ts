import { classifyHttp } from '../../platform/errors';
import type { FieldError } from '../contract';
import { errorCode, recordLevelErrors } from '../kit';

export const SYSTEM = 'dynamics';

/** Dataverse error codes the connector acts on (Web API errors: { error: { code, message } }). */
export const STALE_VERSION = '0x80060882';
export const DUPLICATE_KEY = '0x80040237';

function errorOf(body: unknown): { code?: unknown; message?: unknown } | undefined {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  return typeof error === 'object' && error !== null ? error as { code?: unknown; message?: unknown } : undefined;
}

/** Where Dataverse's messages name the attribute: "The length of the 'name' attribute…", "The property 'x' does not exist…". */
const ATTRIBUTE_IN_MESSAGE = [/The length of the '([A-Za-z0-9_]+)' attribute/, /property '([A-Za-z0-9_]+)' does not exist/, /property named '([A-Za-z0-9_]+)'/];

export function extractFields(body: unknown): FieldError[] {
  const error = errorOf(body);
  if (!error) return [];
  const message = `${String(error.code ?? 'error')}: ${String(error.message ?? '')}`;
  const field = ATTRIBUTE_IN_MESSAGE.map((re) => re.exec(String(error.message ?? ''))?.[1]).find(Boolean);
  return [{ field: field ?? '*', message }];
}

export function extractCode(body: unknown): string | undefined {
  const code = errorOf(body)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** An answer inside a $batch as the ConnectorError the HTTP client would have thrown for it. */
export function answerError(status: number, headers: Record<string, string>, body: unknown) {
  return classifyHttp(SYSTEM, status, headers, body, { extractFields, extractCode });
}

/**
 * The failures that belong to one row: refused values (400), a row that is not there (404), and a
 * duplicate alternate key (412 0x80040237), reported on the key's columns. Undefined for the rest.
 */
export function recordErrors(err: unknown, keyColumns: string[]): FieldError[] | undefined {
  if (errorCode(err) === DUPLICATE_KEY) {
    const message = err instanceof Error ? err.message : String(err);
    return keyColumns.map((field) => ({ field, message }));
  }
  return recordLevelErrors(err);
}

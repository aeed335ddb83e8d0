import { ConnectorError, parseRetryAfter, headerValue } from '../../platform/errors';
import type { HttpResponse } from '../../platform/http';
import type { FieldError } from '../contract';

export const SYSTEM = 'salesforce';

/**
 * Reading Salesforce's answers. REST errors are an array of { message, errorCode, fields? }; records
 * of sObject Collections fail one by one with { statusCode, message, fields } (REST API Developer
 * Guide, "Status Codes and Error Responses"; "sObject Collections").
 */
export interface RecordError {
  statusCode: string;
  message: string;
  fields?: string[];
}

interface RestError {
  message?: unknown;
  errorCode?: unknown;
  fields?: unknown;
}

/** Salesforce answers REQUEST_LIMIT_EXCEEDED without Retry-After: wait this long before trying again. */
export const REQUEST_LIMIT_RETRY_MS = 30_000;

/** The offending fields of a whole-request validation error, for the HTTP client's extractFields. */
export function extractFields(body: unknown): FieldError[] {
  return restErrors(body).flatMap((e) => {
    const message = `${String(e.errorCode ?? 'ERROR')}: ${String(e.message ?? '')}`;
    const fields = Array.isArray(e.fields) ? e.fields.filter((f): f is string => typeof f === 'string') : [];
    return fields.length > 0 ? fields.map((field) => ({ field, message })) : [{ field: '*', message }];
  });
}

/** The first errorCode of a REST error body (REQUIRED_FIELD_MISSING, INVALID_FIELD...), for the HTTP client's extractCode. */
export function extractCode(body: unknown): string | undefined {
  const code = restErrors(body)[0]?.errorCode;
  return typeof code === 'string' ? code : undefined;
}

/** A per-record failure as field errors: every named field, else the key field. */
export function recordFieldErrors(errors: RecordError[], fallbackField: string): FieldError[] {
  return errors.flatMap((e) => {
    const message = `${e.statusCode}: ${e.message}`;
    const fields = (e.fields ?? []).filter((f) => f !== '');
    return fields.length > 0 ? fields.map((field) => ({ field, message })) : [{ field: fallbackField, message }];
  });
}

/**
 * Salesforce's own verdicts, before the status is read:
 * - 403 REQUEST_LIMIT_EXCEEDED is the org's API limit (calls per 24 h, or concurrent long requests):
 *   it passes, so it is transient (not the permanent a 403 usually is), with Retry-After when sent,
 *   else REQUEST_LIMIT_RETRY_MS;
 * - a SOAP fault INVALID_SESSION_ID (HTTP 500) is an expired session: reported as a 401 so the
 *   client refreshes the token and retries once, as for REST;
 * - so is a Streaming API message refused for authentication, whatever the HTTP status ("Handling
 *   Streaming API Errors": `401::Authentication invalid` on /meta/connect, `403::Handshake denied`
 *   with ext.sfdc.failureReason `401::…` on /meta/handshake): the client "must reauthenticate".
 */
export function classifyResponse(res: HttpResponse<unknown>): ConnectorError | null {
  if (res.status === 403 && restErrors(res.body).some((e) => e.errorCode === 'REQUEST_LIMIT_EXCEEDED')) {
    return new ConnectorError({
      kind: 'transient',
      system: SYSTEM,
      status: 403,
      retryAfterMs: parseRetryAfter(headerValue(res.headers, 'retry-after'), new Date()) ?? REQUEST_LIMIT_RETRY_MS,
      message: `salesforce answered HTTP 403 REQUEST_LIMIT_EXCEEDED (the org's API request limit): ${restErrors(res.body).map((e) => String(e.message)).join('; ')}`,
    });
  }
  if (res.status === 500 && typeof res.body === 'string' && /<faultcode>[^<]*INVALID_SESSION_ID<\/faultcode>/.test(res.body)) {
    return new ConnectorError({ kind: 'permanent', system: SYSTEM, status: 401, message: 'salesforce SOAP API answered INVALID_SESSION_ID: Session expired or invalid' });
  }
  const refused = bayeuxAuthFailure(res.body);
  if (refused) return new ConnectorError({ kind: 'permanent', system: SYSTEM, status: 401, message: `salesforce Streaming API answered ${refused}` });
  return null;
}

/** The authentication failure a Bayeux answer reports (`401::…`), if it reports one. */
function bayeuxAuthFailure(body: unknown): string | undefined {
  if (!Array.isArray(body)) return undefined;
  for (const message of body as Array<{ error?: unknown; ext?: { sfdc?: { failureReason?: unknown } } }>) {
    const error = typeof message?.error === 'string' ? message.error : '';
    const reason = message?.ext?.sfdc?.failureReason;
    if (error.startsWith('401::')) return error;
    if (typeof reason === 'string' && reason.startsWith('401::')) return `${error} (${reason})`;
  }
  return undefined;
}

function restErrors(body: unknown): RestError[] {
  return Array.isArray(body) ? body.filter((e): e is RestError => typeof e === 'object' && e !== null) : [];
}

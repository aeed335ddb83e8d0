import type { AuthFailure, Reply } from '../kit';
import { ReplyError } from '../kit';

/**
 * Google's error bodies (JSON error format of Google APIs, AIP-193):
 * { error: { code, message, status, details? } }, `status` a google.rpc.Code name.
 */
export function googleError(code: number, status: string, message: string, details?: unknown[]): Reply {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } } };
}

/** A 400 INVALID_ARGUMENT, thrown from a handler. */
export function invalidArgument(message: string, violations?: Array<{ field: string; description: string }>): ReplyError {
  const details = violations ? [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations }] : undefined;
  return new ReplyError(googleError(400, 'INVALID_ARGUMENT', message, details));
}

export function notFound(message = 'Requested entity was not found.'): ReplyError {
  return new ReplyError(googleError(404, 'NOT_FOUND', message));
}

export function unauthenticated(_failure: AuthFailure): Reply {
  return googleError(401, 'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. '
    + 'See https://developers.google.com/identity/sign-in/web/devconsole-project.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED', domain: 'googleapis.com' },
    ]);
}

/** The quota refusal: per-minute quotas per project and per user (developers.google.com/sheets/api/limits). */
export function quotaExceeded(quotaLimit: string): Reply {
  return googleError(429, 'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric 'Requests' and limit '${quotaLimit}' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.`, [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com',
        metadata: { service: 'sheets.googleapis.com', quota_limit: quotaLimit, quota_metric: 'sheets.googleapis.com/requests' } },
    ]);
}

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 502: 'UNAVAILABLE', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

export function errorForStatus(status: number): Reply {
  if (status === 429) return quotaExceeded('Requests per minute per user');
  return googleError(status, statusNames[status] ?? 'UNKNOWN', status >= 500 ? 'The service is currently unavailable.' : 'The request failed.');
}

/** Google's token endpoint errors (RFC 6749 §5.2 bodies). */
export function tokenError(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description } };
}

import { randomUUID } from 'node:crypto';
import type { AuthFailure, Reply } from '../kit';

/**
 * Microsoft Graph's error body (learn.microsoft.com/graph/errors):
 * { error: { code, message, innerError: { date, request-id, client-request-id } } }.
 */
export function graphError(status: number, code: string, message: string, correlationId: string = randomUUID()): Reply {
  return {
    status,
    headers: { 'request-id': correlationId, 'client-request-id': correlationId },
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': correlationId, 'client-request-id': correlationId },
      },
    },
  };
}

export function unauthorized(failure: AuthFailure, correlationId: string): Reply {
  const message = failure === 'missing' ? 'Access token is empty.'
    : failure === 'expired' ? 'Lifetime validation failed, the token is expired.'
      : 'IDX14100: JWT is not well formed, there are no dots (.).';
  return graphError(401, 'InvalidAuthenticationToken', message, correlationId);
}

/** A 400 naming the refused property, as Graph's model validation does. */
export function badRequest(property: string, message: string, correlationId: string): Reply {
  return graphError(400, 'BadRequest', `Invalid value for property '${property}': ${message}`, correlationId);
}

export function notFound(correlationId: string, what = 'Resource not found'): Reply {
  return graphError(404, 'NotFound', what, correlationId);
}

export function throttled(correlationId: string, retryAfterSeconds: number): Reply {
  const reply = graphError(429, 'TooManyRequests', 'Too many requests. Please retry after the time given in Retry-After.', correlationId);
  return { ...reply, headers: { ...reply.headers, 'retry-after': String(retryAfterSeconds) } };
}

const codes: Record<number, [string, string]> = {
  400: ['BadRequest', 'Bad request.'],
  401: ['InvalidAuthenticationToken', 'Access token validation failure.'],
  403: ['Forbidden', 'Forbidden: missing permission ChannelMessage.Send.'],
  404: ['NotFound', 'Resource not found'],
  409: ['Conflict', 'Conflict.'],
  412: ['PreconditionFailed', 'The etag does not match.'],
  429: ['TooManyRequests', 'Too many requests.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable.'],
  504: ['GatewayTimeout', 'Gateway timeout.'],
};

export function errorForStatus(status: number, correlationId: string): Reply {
  const [code, message] = codes[status] ?? (status >= 500 ? ['InternalServerError', 'An internal server error occurred.'] : ['BadRequest', 'Bad request.']);
  return graphError(status, code, message, correlationId);
}

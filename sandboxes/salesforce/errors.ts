import type { AuthFailure, Reply, SandboxRequest } from '../kit';
import { ReplyError } from '../kit';

/**
 * Salesforce REST error bodies: an array of { message, errorCode, fields? } ("Status Codes and Error
 * Responses", REST API Developer Guide), and the per-record errors of sObject Collections:
 * { statusCode, message, fields }.
 */
export interface RestError {
  message: string;
  errorCode: string;
  fields?: string[];
}

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export function restError(status: number, errorCode: string, message: string, fields?: string[]): Reply {
  const entry: RestError = { message, errorCode, ...(fields ? { fields } : {}) };
  return { status, body: [entry] };
}

/** Throws a REST error reply at once. */
export function fail(status: number, errorCode: string, message: string, fields?: string[]): never {
  throw new ReplyError(restError(status, errorCode, message, fields));
}

/**
 * REST: 401 INVALID_SESSION_ID. The Streaming API answers in Bayeux messages ("Handling Streaming
 * API Errors"): a handshake without a valid session is denied (403::Handshake denied), any other
 * message gets 401::Authentication invalid (401::Request requires authentication without a token),
 * with advice reconnect none; the HTTP status stays 401 so a client re-authenticates.
 */
export function unauthorized(failure: AuthFailure, req?: SandboxRequest): Reply {
  if (req?.path.startsWith('/cometd/')) {
    const messages = (Array.isArray(req.body) ? req.body : [req.body]) as Array<{ channel?: unknown; id?: unknown; clientId?: unknown } | undefined>;
    return {
      status: 401,
      body: messages.map((m) => ({
        channel: m?.channel, id: m?.id, ...(m?.clientId ? { clientId: m.clientId } : {}), successful: false,
        error: m?.channel === '/meta/handshake' ? '403::Handshake denied' : failure === 'missing' ? '401::Request requires authentication' : '401::Authentication invalid',
        advice: { reconnect: 'none', interval: 0 },
      })),
    };
  }
  return restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
}

/** The sandbox's optional throttle: a 429 with Retry-After, body in Salesforce's shape. */
export function rateLimited(): Reply {
  return restError(429, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
}

const byStatus: Record<number, [string, string]> = {
  400: ['MALFORMED_REQUEST', 'The request could not be understood.'],
  401: ['INVALID_SESSION_ID', 'Session expired or invalid'],
  403: ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'],
  404: ['NOT_FOUND', 'The requested resource does not exist'],
  405: ['METHOD_NOT_ALLOWED', 'HTTP Method not allowed for this resource'],
  409: ['CONFLICT', 'Conflict'],
  429: ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'],
  503: ['SERVER_UNAVAILABLE', 'Server temporarily unavailable.'],
};

/** The body of an injected fault or an unexpected failure. */
export function errorForStatus(status: number): Reply {
  const [code, message] = byStatus[status] ?? (status >= 500 ? ['UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support.'] : ['BAD_REQUEST', 'Bad request']);
  return restError(status, code, message);
}

/** /services/oauth2/token failures: 400 { error, error_description }. */
export function tokenError(error: 'invalid_grant' | 'invalid_client_id' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_request',
  description?: string): Reply {
  const descriptions = {
    invalid_grant: 'expired access/refresh token',
    invalid_request: 'invalid code verifier',
    invalid_client_id: 'client identifier invalid',
    invalid_client: 'invalid client credentials',
    unsupported_grant_type: 'grant type not supported',
  } as const;
  return { status: 400, body: { error, error_description: description ?? descriptions[error] } };
}

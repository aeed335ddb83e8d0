import { randomUUID } from 'node:crypto';
import type { AuthFailure, Reply } from '../kit';

/**
 * HubSpot's error bodies: { status: 'error', message, correlationId, category, errors?, context? }
 * (developers.hubspot.com "API usage guidelines" > error responses; "Handling errors").
 */
export interface HubspotFieldError {
  message: string;
  code: string;
  context?: Record<string, string[]>;
}

export function hubspotError(status: number, correlationId: string, category: string, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { status: 'error', message, correlationId, category, ...extra } };
}

export function validationError(correlationId: string, message: string, errors?: HubspotFieldError[]): Reply {
  return hubspotError(400, correlationId, 'VALIDATION_ERROR', message, errors ? { errors } : {});
}

/** What HubSpot says when property values do not validate (the whole request is refused). */
export function invalidPropertiesError(correlationId: string, problems: PropertyProblem[]): Reply {
  const detail = problems.map((p) => ({ isValid: false, message: p.message, error: p.code, name: p.propertyName }));
  return validationError(
    correlationId,
    `Property values were not valid: ${JSON.stringify(detail)}`,
    problems.map((p) => ({ message: p.message, code: p.code, context: { propertyName: [p.propertyName] } })),
  );
}

export interface PropertyProblem {
  propertyName: string;
  code: string;
  message: string;
}

export function unauthorizedError(failure: AuthFailure, correlationId: string): Reply {
  if (failure === 'expired') {
    return hubspotError(401, correlationId, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired.', {
      context: { expired: ['true'] },
    });
  }
  return hubspotError(
    401,
    correlationId,
    'INVALID_AUTHENTICATION',
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  );
}

export function rateLimitedError(correlationId: string): Reply {
  return {
    status: 429,
    body: {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId,
      policyName: 'TEN_SECONDLY_ROLLING',
      requestId: randomUUID(),
    },
  };
}

const categoryByStatus: Record<number, [string, string]> = {
  400: ['VALIDATION_ERROR', 'There was a problem with the request.'],
  401: ['INVALID_AUTHENTICATION', 'Authentication credentials not found.'],
  403: ['MISSING_SCOPES', 'This app hasn\'t been granted all required scopes to make this call.'],
  404: ['OBJECT_NOT_FOUND', 'resource not found'],
  409: ['CONFLICT', 'Conflict.'],
  423: ['LOCKED', 'The resource is locked.'],
  429: ['RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.'],
};

/** The body of an injected fault or an unexpected failure for any status. */
export function errorForStatus(status: number, correlationId: string): Reply {
  const [category, message] = categoryByStatus[status] ?? (status >= 500 ? ['INTERNAL_ERROR', 'internal error'] : ['VALIDATION_ERROR', 'There was a problem with the request.']);
  return hubspotError(status, correlationId, category, message);
}

/** POST /oauth/v1/token failures: HubSpot answers 400 with a status naming the problem. */
export function tokenError(status: 'BAD_REFRESH_TOKEN' | 'BAD_CLIENT_ID' | 'BAD_CLIENT_SECRET' | 'BAD_GRANT_TYPE' | 'BAD_AUTH_CODE' | 'BAD_REDIRECT_URI',
  correlationId: string): Reply {
  const messages = {
    BAD_REFRESH_TOKEN: 'missing or invalid refresh token',
    BAD_AUTH_CODE: 'missing or unknown auth code',
    BAD_REDIRECT_URI: 'redirect_uri does not match the one of the authorization request',
    BAD_CLIENT_ID: 'missing or unknown client id',
    BAD_CLIENT_SECRET: 'missing or invalid client secret',
    BAD_GRANT_TYPE: 'missing or unknown grant type',
  } as const;
  return { status: 400, body: { status, message: messages[status], correlationId } };
}

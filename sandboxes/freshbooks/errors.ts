import type { AuthFailure, Reply } from '../kit';

/**
 * FreshBooks accounting error bodies (freshbooks.com/api/errors, and the SDKs' readers of them):
 * { response: { errors: [{ errno, field, message, object, value }] } }, 422 for refused values,
 * 404 for unknown ids (errno 1012 UnknownResource).
 */
export interface AccountingError {
  errno: number;
  field: string | null;
  message: string;
  object: string | null;
  value: string | null;
}

export class FreshbooksFault extends Error {
  constructor(readonly status: number, readonly errors: AccountingError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

export const ERRNO = {
  requiredField: 1001,
  accessDenied: 1003,
  invalidValue: 1004,
  deletedResource: 1011,
  unknownResource: 1012,
  invalidPerPage: 1013,
  invalidPage: 1014,
  mappingErrorNumber: 1015,
  mappingErrorDate: 1033,
} as const;

export function fault(status: number, errno: number, message: string, field: string | null = null, object: string | null = null, value: unknown = null): FreshbooksFault {
  return new FreshbooksFault(status, [{ errno, field, message, object, value: value === null || value === undefined ? null : String(value) }]);
}

export function invalid(errno: number, object: string, field: string, message: string, value?: unknown): FreshbooksFault {
  return fault(422, errno, message, field, object, value);
}

export function notFound(object: string, field: string, id: string): FreshbooksFault {
  return fault(404, ERRNO.unknownResource, `${object[0].toUpperCase()}${object.slice(1)} not found.`, field, object, id);
}

export function faultReply(error: FreshbooksFault): Reply {
  return { status: error.status, body: { response: { errors: error.errors } } };
}

/** The API gateway's refusal of a missing, unknown or expired bearer token. */
export function unauthorized(failure: AuthFailure): Reply {
  return {
    status: 401,
    body: { error: 'unauthenticated', error_description: failure === 'expired' ? 'The access token expired' : 'This action requires authentication to continue.' },
  };
}

export function forStatus(status: number): Reply {
  if (status === 401) return unauthorized('invalid');
  if (status === 429) return { status, body: { error: 'too_many_requests', error_description: 'Too many requests. Please slow down.' } };
  if (status >= 500) return faultReply(fault(status, 500, 'The ORM encountered an unexpected error.'));
  return faultReply(fault(status, ERRNO.invalidValue, `The request failed with status ${status}.`));
}

/** /auth/oauth/token refusals (RFC 6749 §5.2), in Doorkeeper's words, as the kit's refresh-token scheme asks for them. */
const tokenRefusals = {
  unsupportedGrantType: [400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.'],
  badClientId: [401, 'invalid_client', 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.'],
  badClientSecret: [401, 'invalid_client', 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.'],
  badRefreshToken: [400, 'invalid_grant', 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.'],
} as const;

export const tokenErrors = Object.fromEntries(Object.entries(tokenRefusals).map(([name, [status, error, description]]) =>
  [name, (): Reply => ({ status, body: { error, error_description: description } })])) as Record<keyof typeof tokenRefusals, () => Reply>;

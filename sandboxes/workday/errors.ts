import { replyForStatus, type AuthFailure, type Reply } from '../kit';

/**
 * Workday REST error bodies: { error: "<summary>", errors: [{ error: "<message>", field: "<field>" }] }
 * (the reference's 400 "Invalid request", 401, 403, 404 answers, linked to
 * community.workday.com/rest/error-messages). Validation names the request's own field: `worker`
 * for a worker reference, `startDate` for a date.
 */
export interface FieldProblem {
  field: string;
  error: string;
}

export class WorkdayFault extends Error {
  constructor(readonly status: number, readonly summary: string, readonly problems: FieldProblem[] = []) {
    super(summary);
  }
}

export function invalid(problems: FieldProblem[]): WorkdayFault {
  return new WorkdayFault(400, 'Validation error occurred. Correct the errors and resubmit.', problems);
}

export function notFound(what: string): WorkdayFault {
  return new WorkdayFault(404, 'Resource not found.', [{ field: 'ID', error: `${what} was not found.` }]);
}

export function faultReply(fault: WorkdayFault): Reply {
  return { status: fault.status, body: { error: fault.summary, ...(fault.problems.length > 0 ? { errors: fault.problems } : {}) } };
}

/** A missing, unknown or expired bearer token (RFC 6750's header, Workday's body shape). */
export function unauthorized(failure: AuthFailure): Reply {
  const description = failure === 'expired' ? 'The access token expired' : failure === 'missing' ? 'No access token was sent' : 'The access token is invalid';
  return { status: 401, body: { error: 'invalid_token', errors: [{ error: description }] }, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };
}

/** Workday's body for a refusal that names no field: `{ error: "<summary>" }`. */
export function workdayError(status: number, summary: string): Reply {
  return faultReply(new WorkdayFault(status, summary));
}

export const forStatus = replyForStatus(
  { 401: () => unauthorized('invalid'), 429: () => workdayError(429, 'Too many requests.') },
  (status) => workdayError(status, status >= 500 ? 'An unexpected error occurred.' : `The request failed with status ${status}.`),
);

/** Token endpoint refusals (RFC 6749 §5.2). */
const tokenRefusals = {
  unsupportedGrantType: [400, 'unsupported_grant_type'],
  badClientId: [401, 'invalid_client'],
  badClientSecret: [401, 'invalid_client'],
  badRefreshToken: [400, 'invalid_grant'],
} as const;

export const tokenErrors = Object.fromEntries(Object.entries(tokenRefusals).map(([name, [status, error]]) =>
  [name, (): Reply => ({ status, body: { error } })])) as Record<keyof typeof tokenRefusals, () => Reply>;

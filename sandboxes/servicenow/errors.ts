import { ReplyError, replyForStatus, type AuthFailure, type Reply } from '../kit';

/**
 * ServiceNow's REST error bodies (Table API "Response body parameters", every release since
 * Geneva; checked on the Zurich and Australia pages): `{ error: { message, detail }, status: "failure" }`.
 * A Data Policy refusal answers 403 with message "Operation Failed" and a detail naming the field
 * labels: "Data Policy Exception: \n\tThe following fields are mandatory: Short description\n".
 */
export function snError(status: number, message: string, detail: string | null = null, headers?: Record<string, string>): Reply {
  return { status, body: { error: { message, detail }, status: 'failure' }, ...(headers ? { headers } : {}) };
}

export function fail(status: number, message: string, detail: string | null = null): never {
  throw new ReplyError(snError(status, message, detail));
}

export function dataPolicyException(labels: string[]): Reply {
  return snError(403, 'Operation Failed', `Data Policy Exception: \n\tThe following fields are mandatory: ${labels.join(', ')}\n`);
}

export function noRecord(): Reply {
  return snError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
}

export function invalidTable(table: string): Reply {
  return snError(400, `Invalid table ${table}`);
}

export function aclRefused(operation: 'Insert' | 'Update' | 'Delete'): Reply {
  return snError(403, 'Operation Failed', `ACL Exception ${operation} Failed due to security constraints`);
}

export function unauthorized(failure: AuthFailure): Reply {
  const message = failure === 'missing' ? 'User Not Authenticated' : 'User is not authenticated';
  return { ...snError(401, message, 'Required to provide Auth information'), headers: { 'www-authenticate': 'BASIC realm="Service-now"' } };
}

/** A rate limit rule's answer (Inbound REST API rate limiting): 429, Retry-After in seconds. */
export function rateLimited(): Reply {
  return snError(429, 'Rate limit exceeded', 'The maximum number of requests per hour allowed by a rate limit rule was exceeded');
}

export function malformedBody(): Reply {
  return snError(400, 'Exception while reading request', 'The payload is not valid JSON.');
}

export const forStatus = replyForStatus(
  {
    401: () => unauthorized('invalid'),
    404: noRecord,
    429: rateLimited,
    403: () => snError(403, 'Operation Failed', 'ACL Exception Failed due to security constraints'),
  },
  (status) => (status >= 500 ? snError(status, 'Internal server error', 'An unexpected error occurred') : snError(status, `HTTP ${status}`)),
);

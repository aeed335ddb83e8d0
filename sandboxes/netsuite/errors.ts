import { ReplyError, replyForStatus, type Reply } from '../kit';

/**
 * NetSuite REST web services error bodies ("Error Handling in REST Web Services",
 * docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html):
 *   { type, title, status, "o:errorDetails": [{ detail, "o:errorCode", "o:errorPath"?,
 *     "o:errorQueryParam"?, "o:errorHeader"?, "o:urlPath"? }] }
 * `o:errorPath` is a JSON path into the request body naming the field at fault.
 */
export interface ErrorDetail {
  detail: string;
  code: string;
  /** o:errorPath: where in the request body. */
  path?: string;
  queryParam?: string;
  header?: string;
}

const TYPES: Record<number, [string, string]> = {
  400: ['https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1', 'Bad Request'],
  401: ['https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.2', 'Unauthorized'],
  403: ['https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.4', 'Forbidden'],
  404: ['https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.5', 'Not Found'],
  405: ['https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.6', 'Method Not Allowed'],
  409: ['https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.10', 'Conflict'],
  429: ['https://tools.ietf.org/html/rfc6585#section-4', 'Too Many Requests'],
  500: ['https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.5.1', 'Internal Server Error'],
  503: ['https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.5.4', 'Service Unavailable'],
};

/** The status's problem type and title; a status without its own, the generic 500's or 400's. */
const problemType = (status: number): [string, string] => TYPES[status] ?? TYPES[status >= 500 ? 500 : 400];

export function nsError(status: number, details: ErrorDetail[], headers?: Record<string, string>): Reply {
  const [type, title] = problemType(status);
  return {
    status,
    ...(headers ? { headers } : {}),
    body: {
      type,
      title,
      status,
      'o:errorDetails': details.map((d) => ({
        detail: d.detail,
        'o:errorCode': d.code,
        ...(d.path !== undefined ? { 'o:errorPath': d.path } : {}),
        ...(d.queryParam !== undefined ? { 'o:errorQueryParam': d.queryParam } : {}),
        ...(d.header !== undefined ? { 'o:errorHeader': d.header } : {}),
      })),
    },
  };
}

/** Throws a NetSuite error reply from inside a handler. */
export function fail(status: number, ...details: ErrorDetail[]): never {
  throw new ReplyError(nsError(status, details));
}

/** A refused field value: 400 USER_ERROR naming the field in o:errorPath. */
export function fieldError(path: string, detail: string, code = 'USER_ERROR'): ErrorDetail {
  return { detail: `Error while accessing a resource. ${detail}`, code, path };
}

export const invalidLogin = (): Reply => nsError(401, [{
  detail: 'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
  code: 'INVALID_LOGIN',
}]);

export const nonexistent = (): ErrorDetail => ({ detail: 'The record instance does not exist. Provide a valid record instance ID.', code: 'NONEXISTENT_ID' });

/** The account's concurrency governance limit (Web Services and RESTlet Concurrency Governance): 429. */
export const concurrencyExceeded = (limit: number): Reply => nsError(429, [{
  detail: `The request could not be processed because the account has reached its limit of ${limit} concurrent web services and RESTlet requests. Retry later.`,
  code: 'CONCURRENCY_LIMIT_EXCEEDED',
}]);

export const forStatus = replyForStatus(
  { 401: invalidLogin, 404: () => nsError(404, [nonexistent()]), 429: () => concurrencyExceeded(15) },
  (status) => nsError(status, [{ detail: `${problemType(status)[1]}.`, code: status >= 500 ? 'UNEXPECTED_ERROR' : 'USER_ERROR' }]),
);

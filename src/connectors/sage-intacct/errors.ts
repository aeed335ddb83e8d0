import { ConnectorError, headerValue, parseRetryAfter } from '../../platform/errors';
import type { HttpResponse } from '../../platform/http';
import type { FieldError } from '../contract';
import { fieldsMentioned } from '../kit';
import { describeErrors, parseResponse, type FunctionResult, type IntacctError } from './xml';

export const SYSTEM = 'sage-intacct';

/**
 * Intacct answers HTTP 200 with failures inside the XML, at three levels
 * (https://developer.intacct.com/web-services/error-handling/):
 * - <control> failure: the sender id/password (XL03000006), XML that does not parse (XL03000003),
 *   gateway errors GW-nnnn (GW-0010: rate limited, HTTP 429). No function ran.
 * - <authentication> failure: the session or the company login was refused (XL03000006 "Sign-in
 *   information is incorrect" for both). No function ran.
 * - a <result> failure: that function alone failed; the others of the request may have succeeded.
 */
export const RATE_LIMITED = 'GW-0010';

/**
 * The HTTP client's `classify` for API calls: a refused session is answered as a 401, so the
 * session plug-in logs in again and the request goes once more; control failures are permanent
 * but for the gateway's rate limit and server errors.
 */
export function classifyAnswer(res: HttpResponse<unknown>): ConnectorError | null {
  const answer = parseResponse(res.body);
  if (!answer) return null;
  if (answer.control.status !== 'success') return controlFailure(res, answer.control.errors);
  if (answer.authentication && answer.authentication.status !== 'success') {
    return new ConnectorError({
      kind: 'permanent', system: SYSTEM, status: 401, code: answer.authentication.errors[0]?.errorno, body: answer.authentication.errors,
      message: `sage-intacct authentication failed: the session was refused: ${describeErrors(answer.authentication.errors) || 'authentication failure'}`,
    });
  }
  return null;
}

/**
 * The `classify` of the login call (getAPISession with the company login): a refused login is a
 * wrong company id, user id or user password — permanent, never tried again.
 */
export function classifyLogin(res: HttpResponse<unknown>): ConnectorError | null {
  const answer = parseResponse(res.body);
  if (!answer) return null;
  if (answer.control.status !== 'success') return controlFailure(res, answer.control.errors);
  if (answer.authentication && answer.authentication.status !== 'success') {
    return new ConnectorError({
      kind: 'permanent', system: SYSTEM, status: res.status === 200 ? 403 : res.status, code: answer.authentication.errors[0]?.errorno,
      body: answer.authentication.errors,
      message: `sage-intacct authentication failed: the company login was refused${res.status === 200 ? '' : ` (HTTP ${res.status})`} (check companyId, userId and userPassword): ${describeErrors(answer.authentication.errors) || 'authentication failure'}`,
    });
  }
  const result = answer.results[0];
  if (result && result.status !== 'success') return functionFailure(result, {});
  return null;
}

function controlFailure(res: HttpResponse<unknown>, errors: IntacctError[]): ConnectorError {
  const code = errors[0]?.errorno;
  const limited = code === RATE_LIMITED || res.status === 429;
  const transient = limited || res.status >= 500;
  return new ConnectorError({
    kind: transient ? 'transient' : 'permanent', system: SYSTEM, status: res.status === 200 ? (limited ? 429 : 400) : res.status, code, body: errors,
    ...(transient ? { retryAfterMs: parseRetryAfter(headerValue(res.headers, 'retry-after'), new Date()) } : {}),
    message: `sage-intacct refused the request${limited ? ' (rate limited)' : ''}: ${describeErrors(errors) || `HTTP ${res.status}`}`,
  });
}

/**
 * One function's failure as the error of that record: a validation error naming the fields its
 * messages name (integration name such as CREDITLIMIT, or the field's label), else '*'.
 */
export function functionFailure(result: FunctionResult, labels: Record<string, string>): ConnectorError {
  const fields = fieldsNamed(result.errors, labels);
  return new ConnectorError({
    kind: 'validation', system: SYSTEM, code: result.errors[0]?.errorno, body: result.errors,
    fields: fields.length > 0 ? fields : [{ field: '*', message: describeErrors(result.errors) || `${result.function} failed` }],
    message: `sage-intacct ${result.function} failed: ${describeErrors(result.errors)}`,
  });
}

/** The declared fields each error names by integration name or label, with that error's text. */
export function fieldsNamed(errors: IntacctError[], labels: Record<string, string>): FieldError[] {
  return fieldsMentioned(errors.map((e) => describeErrors([e])), labels);
}

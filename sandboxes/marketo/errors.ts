import { randomBytes } from 'node:crypto';
import { ReplyError, type AuthFailure, type Reply } from '../kit';

/**
 * Marketo's answers (experienceleague.adobe.com "Error Codes"): HTTP 200 with
 * `{ requestId, success, errors: [{ code, message }], warnings, result }`. Response-level errors
 * have success: false; record-level ones are `status: "skipped"` with `reasons: [{ code, message }]`
 * inside `result`. Only 413 and 414 are HTTP-level in normal operation.
 */
export function requestId(): string {
  return `${randomBytes(2).toString('hex')}#${Date.now().toString(16)}`;
}

export function ok(result: unknown[], extra: Record<string, unknown> = {}): Reply {
  return { status: 200, body: { requestId: requestId(), success: true, errors: [], warnings: [], result, ...extra } };
}

export function marketoError(code: string, message: string): Reply {
  return { status: 200, body: { requestId: requestId(), success: false, errors: [{ code, message }], warnings: [], result: [] } };
}

export function fail(code: string, message: string): never {
  throw new ReplyError(marketoError(code, message));
}

/** 600 Empty access token, 601 Access token invalid, 602 Access token expired. */
export function unauthorized(failure: AuthFailure): Reply {
  if (failure === 'missing') return marketoError('600', 'Access token not specified');
  if (failure === 'expired') return marketoError('602', 'Access token expired');
  return marketoError('601', 'Access token invalid');
}

/** 606: the 100 calls per 20 seconds limit (HTTP 200, no Retry-After from Marketo itself). */
export function rateLimited(limit: number, windowSeconds: number): Reply {
  return marketoError('606', `Max rate limit '${limit}' exceeded with in '${windowSeconds}' secs`);
}

export function forStatus(status: number): Reply {
  if (status === 401) return { status, body: { requestId: requestId(), success: false, errors: [{ code: '601', message: 'Access token invalid' }], warnings: [], result: [] } };
  if (status === 429) return { status, body: { requestId: requestId(), success: false, errors: [{ code: '606', message: "Max rate limit '100' exceeded with in '20' secs" }], warnings: [], result: [] } };
  if (status === 413) return { status, body: 'Request Entity Too Large' };
  if (status === 414) return { status, body: 'Request URI Too Long' };
  if (status >= 500) return { status, body: { requestId: requestId(), success: false, errors: [{ code: '611', message: 'System error' }], warnings: [], result: [] } };
  return { status, body: { requestId: requestId(), success: false, errors: [{ code: '609', message: `HTTP ${status}` }], warnings: [], result: [] } };
}

export interface Reason {
  code: string;
  message: string;
}

export const skipped = (reason: Reason, extra: Record<string, unknown> = {}) => ({ ...extra, status: 'skipped', reasons: [reason] });

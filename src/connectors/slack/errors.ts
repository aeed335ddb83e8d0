import { ConnectorError, headerValue, isConnectorError, parseRetryAfter } from '../../platform/errors';
import type { HttpRequest, HttpResponse } from '../../platform/http';
import type { FieldError } from '../contract';

export const SYSTEM = 'slack';

/**
 * Slack's Web API answers HTTP 200 with { ok: false, error } for most failures
 * (docs.slack.dev/apis/web-api "Evaluating responses"); each method page lists its error codes.
 * They map onto the platform's taxonomy here; the code is kept on the error (slackErrorCode) so a
 * writer can turn record-level refusals (cant_update_message...) into failed records.
 */
const PERMANENT = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'missing_scope', 'no_permission',
  'not_in_channel', 'is_archived', 'ekm_access_denied', 'team_access_not_granted', 'not_allowed_token_type', 'invalid_post_type', 'unknown_method']);
const AUTH = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
const TRANSIENT = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
const NOT_FOUND = new Set(['channel_not_found', 'message_not_found', 'thread_not_found']);
/** Refusals about one message: the record fails, the load goes on. */
export const RECORD_REFUSALS = new Set(['cant_update_message', 'cant_delete_message', 'edit_window_closed', 'compliance_exports_prevent_deletion']);
/** Argument errors, with the field they concern when Slack's answer does not name one. */
const VALIDATION_FIELD: Record<string, string> = {
  invalid_arguments: '*', invalid_blocks: 'blocks', invalid_blocks_format: 'blocks', msg_too_long: 'text', no_text: 'text',
  invalid_metadata_format: 'forge_origin', invalid_metadata_schema: 'forge_origin', metadata_too_large: 'forge_origin',
  invalid_thread_ts: 'thread_ts', invalid_ts_latest: 'latest', invalid_ts_oldest: 'oldest', too_many_attachments: 'attachments',
  invalid_cursor: 'cursor', invalid_arg_name: '*', invalid_form_data: '*', invalid_json: '*', json_not_object: '*',
};

/** Slack's `error` code of a failure (kept on ConnectorError.code). */
export function slackErrorCode(err: unknown): string | undefined {
  return isConnectorError(err) ? err.code : undefined;
}

/** The field names in response_metadata.messages: "[ERROR] missing required field: channel", "... [json-pointer:/text]". */
export function fieldsFromMessages(body: Record<string, unknown>, fallback: string, error: string): FieldError[] {
  const meta = body.response_metadata as { messages?: unknown } | undefined;
  const messages = Array.isArray(meta?.messages) ? meta.messages.filter((m): m is string => typeof m === 'string') : [];
  const fields = messages.map((message) => {
    const pointer = /\[json-pointer:\/([^\]/]+)/.exec(message);
    const named = /field:\s*([A-Za-z_][\w.]*)/.exec(message);
    return { field: pointer?.[1] ?? named?.[1] ?? fallback, message };
  });
  return fields.length > 0 ? fields : [{ field: fallback, message: error }];
}

/**
 * The HTTP client's classify hook: Slack's verdict before the status. Every message names the
 * method and Slack's error code ("slack chat.postMessage answered channel_not_found").
 */
export function classifySlack(res: HttpResponse<unknown>, req?: Pick<HttpRequest, 'path'>): ConnectorError | null {
  const method = req?.path.replace(/^\/+/, '') || 'request';
  const body = res.body;
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (res.status === 429) {
    const err = new ConnectorError({
      kind: 'transient', system: SYSTEM, status: 429,
      retryAfterMs: parseRetryAfter(headerValue(res.headers, 'retry-after'), new Date()) ?? 1000,
      code: 'ratelimited',
      message: `slack ${method} answered 429 ratelimited`,
    });
    return err;
  }
  if (!isObject || (body as Record<string, unknown>).ok !== false) return null;
  const record = body as Record<string, unknown>;
  const error = typeof record.error === 'string' ? record.error : 'unknown_error';
  return toError(method, error, record, res.status, headerValue(res.headers, 'retry-after'));
}

function toError(method: string, error: string, body: Record<string, unknown>, status: number, retryAfter?: string): ConnectorError {
  const message = `slack ${method} answered ${error}${status !== 200 ? ` (HTTP ${status})` : ''}`;
  if (AUTH.has(error)) return new ConnectorError({ code: error, body, kind: 'permanent', system: SYSTEM, status: 401, message: `${message}: the bot token was refused` });
  if (PERMANENT.has(error)) {
    const needed = typeof body.needed === 'string' ? ` (needs scope ${body.needed})` : '';
    return new ConnectorError({ code: error, body, kind: 'permanent', system: SYSTEM, status: status === 200 ? 403 : status, message: `${message}${needed}` });
  }
  if (TRANSIENT.has(error)) return new ConnectorError({ code: error, body, kind: 'transient', system: SYSTEM, status, message, retryAfterMs: parseRetryAfter(retryAfter, new Date()) });
  if (NOT_FOUND.has(error)) {
    const field = error === 'channel_not_found' ? 'channel' : 'ts';
    return new ConnectorError({ code: error, body, kind: 'not_found', system: SYSTEM, status: 404, fields: [{ field, message: error }], message });
  }
  if (RECORD_REFUSALS.has(error)) {
    return new ConnectorError({ code: error, body, kind: 'permanent', system: SYSTEM, status, fields: [{ field: 'ts', message: error }], message });
  }
  if (error in VALIDATION_FIELD || error.startsWith('invalid_')) {
    return new ConnectorError({ code: error, body, kind: 'validation', system: SYSTEM, status: 400, fields: fieldsFromMessages(body, VALIDATION_FIELD[error] ?? '*', error), message });
  }
  // Unknown codes: Slack adds new ones; treat as permanent rather than retrying blindly.
  return new ConnectorError({ code: error, body, kind: 'permanent', system: SYSTEM, status, message });
}

/** The per-record errors of a failure about one message, or undefined for failures of the whole call. */
export function recordErrors(err: unknown): FieldError[] | undefined {
  const code = slackErrorCode(err);
  if (!code || !isConnectorError(err)) return undefined;
  if (err.kind === 'validation' || RECORD_REFUSALS.has(code) || code === 'message_not_found' || code === 'thread_not_found') {
    return err.fields?.length ? err.fields : [{ field: '*', message: code }];
  }
  return undefined;
}

import { ReplyError, type AuthFailure, type Reply } from '../kit';

/**
 * Slack's Web API answers almost every failure with HTTP 200 and { ok: false, error } (the
 * "Errors" table of each method page). Argument errors add response_metadata.messages in the form
 * "[ERROR] missing required field: channel". Rate limits are the exception: HTTP 429, Retry-After
 * (docs.slack.dev/apis/web-api/rate-limits).
 */
export function slackError(error: string, extra: Record<string, unknown> = {}, status = 200): Reply {
  return { status, body: { ok: false, error, ...extra } };
}

export function fail(error: string, extra: Record<string, unknown> = {}): never {
  throw new ReplyError(slackError(error, extra));
}

/** invalid_arguments naming the argument, as Slack's argument checker words it. */
export function missingArgument(name: string): never {
  fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] missing required field: ${name}`] } });
}

export function invalidArgument(name: string, problem: string): never {
  fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${problem} [json-pointer:/${name}]`] } });
}

export function unauthorized(failure: AuthFailure): Reply {
  if (failure === 'missing') return slackError('not_authed');
  if (failure === 'expired') return slackError('token_expired');
  return slackError('invalid_auth');
}

export function rateLimited(): Reply {
  return slackError('ratelimited', {}, 429);
}

/**
 * The error an injected fault's status stands for, answered as Slack answers it: HTTP 200 ok:false
 * (missing_scope with the scopes `needed` and `provided`, as the Web API does), except 429.
 */
export function forStatus(status: number): Reply {
  if (status === 429) return rateLimited();
  const byStatus: Record<number, Reply> = {
    400: slackError('invalid_arguments'),
    401: slackError('invalid_auth'),
    403: slackError('missing_scope', { needed: 'chat:write', provided: 'channels:history' }),
    404: slackError('unknown_method'),
    408: slackError('request_timeout'),
    503: slackError('service_unavailable'),
  };
  return byStatus[status] ?? slackError(status >= 500 ? 'internal_error' : 'fatal_error');
}

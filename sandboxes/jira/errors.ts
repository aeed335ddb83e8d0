import { ReplyError, replyForStatus, type AuthFailure, type Reply } from '../kit';

/**
 * JIRA's error body, the ErrorCollection of the platform REST API v3 description:
 * { errorMessages: string[], errors: { <field id>: message } }. Validation names the field by its
 * id (`summary`, `customfield_10050`); messages about the whole request go in errorMessages.
 */
export function errorCollection(status: number, errorMessages: string[], errors: Record<string, string> = {}): Reply {
  return { status, body: { errorMessages, errors } };
}

export function fieldErrors(errors: Record<string, string>): Reply {
  return errorCollection(400, [], errors);
}

export function badRequest(message: string): ReplyError {
  return new ReplyError(errorCollection(400, [message]));
}

export function issueNotFound(): Reply {
  return errorCollection(404, ['Issue does not exist or you do not have permission to see it.']);
}

export function unauthorized(_failure: AuthFailure): Reply {
  // JIRA Cloud answers a missing or wrong email/API token with 401 and this collection.
  return { ...errorCollection(401, ['You are not authenticated. Authentication required to perform this operation.']), headers: { 'www-authenticate': 'Basic realm="protected-area"' } };
}

export function rateLimited(): Reply {
  return errorCollection(429, ['Rate limit exceeded.']);
}

export const forStatus = replyForStatus(
  { 401: () => unauthorized('invalid'), 404: () => errorCollection(404, ['The requested resource could not be found.']), 429: rateLimited },
  (status) => errorCollection(status, [status >= 500 ? 'Internal server error' : `HTTP ${status}`]),
);

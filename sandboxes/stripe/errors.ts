import { randomBytes } from 'node:crypto';
import { ReplyError, type AuthFailure, type Reply } from '../kit';

/**
 * Stripe's error body (docs.stripe.com/api/errors): { error: { type, code?, param?, message,
 * doc_url?, request_log_url? } }. `param` names the offending parameter in form notation
 * (`metadata[plan]`).
 */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorInit {
  type?: StripeErrorType;
  code?: string;
  param?: string;
  message: string;
}

export function stripeError(status: number, init: StripeErrorInit): Reply {
  const { type = 'invalid_request_error', code, param, message } = init;
  return {
    status,
    body: {
      error: {
        type,
        ...(code ? { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` } : {}),
        ...(param ? { param } : {}),
        message,
        request_log_url: `https://dashboard.stripe.com/test/logs/req_${randomBytes(7).toString('hex')}`,
      },
    },
  };
}

/** Throws a 400 invalid_request_error about one parameter. */
export function invalidParam(param: string, message: string, code = 'parameter_invalid_string'): never {
  throw new ReplyError(stripeError(400, { code, param, message }));
}

export function missingParam(param: string): never {
  throw new ReplyError(stripeError(400, { code: 'parameter_missing', param, message: `Missing required param: ${param}.` }));
}

export function unknownParam(param: string): never {
  throw new ReplyError(stripeError(400, { code: 'parameter_unknown', param, message: `Received unknown parameter: ${param}` }));
}

export function noSuch(object: string, id: string, param = 'id'): never {
  throw new ReplyError(stripeError(404, { code: 'resource_missing', param, message: `No such ${object}: '${id}'` }));
}

export function unauthorized(failure: AuthFailure): Reply {
  const message = failure === 'missing'
    ? "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
    : 'Invalid API Key provided: sk_test_****';
  return stripeError(401, { message });
}

export function rateLimited(): Reply {
  return stripeError(429, {
    code: 'rate_limit',
    message: 'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
  });
}

export function forStatus(status: number): Reply {
  if (status === 401) return unauthorized('invalid');
  if (status === 429) return stripeError(429, { code: 'lock_timeout', message: 'This object cannot be accessed right now because another API request or Stripe process is currently accessing it.' });
  if (status >= 500) return stripeError(status, { type: 'api_error', message: 'An unknown error occurred' });
  return stripeError(status, { message: `The request failed with status ${status}.` });
}

export function unrecognizedUrl(method: string, path: string): Reply {
  return stripeError(404, { message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` });
}

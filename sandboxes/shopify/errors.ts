import type { AuthFailure, Reply } from '../kit';

/**
 * Shopify's answers outside GraphQL: a missing or wrong access token is HTTP 401 with
 * `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`;
 * unknown paths 404 `{"errors":"Not Found"}`; a body that is not JSON 400. (shopify.dev/docs/api/usage/response-codes)
 */
export function unauthorized(_failure: AuthFailure): Reply {
  return { status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } };
}

export function forStatus(status: number): Reply {
  if (status === 429) return { status, body: { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' } };
  if (status === 401) return unauthorized('invalid');
  if (status === 404) return { status, body: { errors: 'Not Found' } };
  if (status >= 500) return { status, body: { errors: 'Internal Server Error' } };
  return { status, body: { errors: `HTTP ${status}` } };
}

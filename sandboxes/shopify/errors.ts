import { replyForStatus, type AuthFailure, type Reply } from '../kit';

/**
 * Shopify's answers outside GraphQL: a missing or wrong access token is HTTP 401 with
 * `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`;
 * unknown paths 404 `{"errors":"Not Found"}`; a body that is not JSON 400. (shopify.dev/docs/api/usage/response-codes)
 */
const shopifyError = (status: number, errors: string): Reply => ({ status, body: { errors } });

export function unauthorized(_failure: AuthFailure): Reply {
  return shopifyError(401, '[API] Invalid API key or access token (unrecognized login or wrong password)');
}

export const forStatus = replyForStatus(
  {
    401: () => unauthorized('invalid'),
    404: () => shopifyError(404, 'Not Found'),
    429: () => shopifyError(429, 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.'),
  },
  (status) => shopifyError(status, status >= 500 ? 'Internal Server Error' : `HTTP ${status}`),
);

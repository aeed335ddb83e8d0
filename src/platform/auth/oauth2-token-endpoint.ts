import type { Dispatcher } from 'undici';
import { registerSecret } from '../credentials/redact';
import { ConnectorError, isConnectorError } from '../errors';
import { createHttpClient } from '../http';
import { noAuth } from './none';
import { SingleFlightCache } from './single-flight-cache';

/** An access token as the plug-ins keep it. */
export interface AccessToken {
  accessToken: string;
  expiresAt: number;
  /** A rotated refresh token, when the endpoint issued one. */
  refreshToken?: string;
  /** Salesforce: the org's own API host. */
  instanceUrl?: string;
}

/** Access tokens of every connection in this process, keyed by tenant/connection. */
export const sharedAccessTokens = new SingleFlightCache<AccessToken>();

export const DEFAULT_EXPIRY_SKEW_MS = 60_000;
/**
 * Lifetime assumed when the endpoint gives no expires_in (Salesforce never does): Salesforce's
 * shortest session timeout. A token that dies sooner is caught by the one refresh after a 401.
 */
export const DEFAULT_TOKEN_LIFETIME_MS = 15 * 60_000;

export interface TokenEndpointOptions {
  system: string;
  tokenUrl: string;
  /** 'body' sends client_id/client_secret in the form; 'basic' in an Authorization header (Intuit). */
  clientAuthentication?: 'body' | 'basic';
  /**
   * Where the grant travels: 'body' (a form, RFC 6749) or 'query' (the query string of a POST
   * without a body: Marketo's identity endpoint documents its parameters there).
   */
  grantIn?: 'body' | 'query';
  timeoutMs?: number;
  /** What a rejection's message tells the reader to do. Default: re-authorise the connection. */
  rejectionAdvice?: string;
  defaultLifetimeMs?: number;
  dispatcher?: Dispatcher;
  now?: () => number;
}

interface TokenResponseBody extends Record<string, unknown> {
  access_token?: unknown;
  expires_in?: unknown;
  refresh_token?: unknown;
  instance_url?: unknown;
  error?: unknown;
  error_description?: unknown;
}

const REJECTED_STATUSES = [400, 401, 403];

/** A token endpoint's whole answer, for grants whose answer carries more than the token (a code grant's). */
export interface TokenAnswer {
  token: AccessToken;
  /** The response body as the endpoint sent it (its secrets are registered with the scrubber). */
  body: Record<string, unknown>;
}

/**
 * POSTs a grant to the token endpoint. A rejection (400 invalid_grant, 401 invalid_client...) is
 * permanent and names the OAuth error code; 429/5xx/network failures stay transient.
 */
export async function requestToken(options: TokenEndpointOptions, client: { id: string; secret: string },
  grant: Record<string, string>): Promise<AccessToken> {
  return (await requestTokenAnswer(options, client, grant)).token;
}

/** requestToken, answering the response body too. */
export async function requestTokenAnswer(options: TokenEndpointOptions, client: { id: string; secret: string },
  grant: Record<string, string>): Promise<TokenAnswer> {
  const { system } = options;
  const http = createHttpClient({ system, baseUrl: options.tokenUrl, auth: noAuth, timeoutMs: options.timeoutMs, dispatcher: options.dispatcher });
  const form: Record<string, string> = { ...grant };
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.clientAuthentication === 'basic') {
    const basic = Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64');
    registerSecret(basic);
    headers.authorization = `Basic ${basic}`;
  } else {
    form.client_id = client.id;
    form.client_secret = client.secret;
  }

  let response;
  try {
    const grantTravel = options.grantIn === 'query' ? { query: form } : { form };
    response = await http.request<TokenResponseBody | string>({ method: 'POST', path: '', ...grantTravel, headers, expect: REJECTED_STATUSES });
  } catch (err) {
    if (isConnectorError(err)) throw new ConnectorError({ kind: err.kind, system, status: err.status, retryAfterMs: err.retryAfterMs, message: `${system} token request failed: ${err.message}`, cause: err });
    throw err;
  }
  const body: TokenResponseBody = typeof response.body === 'object' && response.body !== null ? response.body : {};
  // Slack answers a refused grant with HTTP 200 and { ok: false, error }.
  if (REJECTED_STATUSES.includes(response.status) || (body.ok === false && typeof body.error === 'string')) {
    // RFC 6749 §5.2 names error and error_description; HubSpot answers { status, message }.
    const code = typeof body.error === 'string' ? body.error : typeof body.status === 'string' ? body.status : 'unknown_error';
    const detail = typeof body.error_description === 'string' ? body.error_description : typeof body.message === 'string' ? body.message : undefined;
    const description = detail ? ` (${detail})` : '';
    throw new ConnectorError({
      kind: 'permanent',
      system,
      status: response.status,
      code,
      message: `${system} rejected the OAuth token request: ${code}${description}; ${options.rejectionAdvice ?? 'the connection must be re-authorised'}`,
    });
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new ConnectorError({ kind: 'permanent', system, status: response.status, message: `${system} token endpoint answered without an access_token` });
  }
  registerSecret(body.access_token);
  const refreshToken = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : undefined;
  registerSecret(refreshToken);
  const lifetimeMs = typeof body.expires_in === 'number' || typeof body.expires_in === 'string'
    ? Number(body.expires_in) * 1000 : Number.NaN;
  const now = (options.now ?? Date.now)();
  const token: AccessToken = {
    accessToken: body.access_token,
    expiresAt: now + (Number.isFinite(lifetimeMs) && lifetimeMs > 0 ? lifetimeMs : options.defaultLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS),
    refreshToken,
    instanceUrl: typeof body.instance_url === 'string' ? body.instance_url : undefined,
  };
  return { token, body };
}

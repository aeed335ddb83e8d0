import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { oauth2RefreshTokenCredentialsSchema, refreshTokenConnection } from '../../platform/auth';
import { ConnectorError } from '../../platform/errors';
import { createHttpClient, type HttpClient, type HttpResponse } from '../../platform/http';
import type { AuthSpec } from '../contract';
import { authorizationFromSessionConfig, connectionRefreshTokenAuth, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields } from './errors';

export const SYSTEM = 'quickbooks';

export const quickbooksConfigSchema = z.object({
  /** Production; Intuit's developer sandbox companies live at https://sandbox-quickbooks.api.intuit.com. */
  baseUrl: egressUrl('https://quickbooks.api.intuit.com'),
  /** The company (realm) the connection was authorised for. */
  realmId: z.string().regex(/^\d+$/, 'realmId is the company id: digits only'),
  tokenUrl: egressUrl('https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer'),
  /** Intuit's consent page (connecting by consent only). */
  authorizeUrl: z.url({ protocol: /^https?$/ }).default('https://appcenter.intuit.com/connect/oauth2'),
});
export type QuickbooksConfig = z.infer<typeof quickbooksConfigSchema>;

/**
 * Connecting by consent (docs/connect/quickbooks.md): Intuit names the company the user picked in
 * the callback (`realmId`), so a session starts without one and the connection's config gets it
 * from there. The token endpoint takes the client in a Basic header; refresh tokens rotate.
 */
export const quickbooksAuthorization = authorizationFromSessionConfig(SYSTEM, quickbooksConfigSchema.omit({ realmId: true }), {
  authorizeUrl: (config) => config.authorizeUrl,
  tokenUrl: (config) => config.tokenUrl,
  scopes: ['com.intuit.quickbooks.accounting'],
  pkce: false,
  clientAuthentication: 'basic',
  callbackParams: ['realmId'],
  connection: (granted) => {
    const { credentials } = refreshTokenConnection(SYSTEM, granted);
    return { credentials, config: { ...granted.config, realmId: granted.callback.realmId } };
  },
});

/** OAuth 2.0 refresh-token grant: { clientId, clientSecret, refreshToken }; Intuit rotates refresh tokens. */
export const quickbooksAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

/**
 * "API call limits and throttles": on 429, wait 60 seconds before retrying. Intuit sends no
 * Retry-After, so a 429 without one waits the documented minute.
 */
export const THROTTLE_WAIT_MS = 60_000;

export function quickbooksHttp(ctx: KitContextWithoutHttp<QuickbooksConfig>): HttpClient {
  const auth = connectionRefreshTokenAuth(ctx, { system: SYSTEM, tokenUrl: ctx.config.tokenUrl, clientAuthentication: 'basic' });
  return createHttpClient({ system: SYSTEM, baseUrl: ctx.config.baseUrl, auth, extractFields, extractCode, classify: throttledWithoutRetryAfter });
}

function throttledWithoutRetryAfter(res: HttpResponse<unknown>): ConnectorError | null {
  if (res.status !== 429 || res.headers['retry-after'] !== undefined) return null;
  return new ConnectorError({
    kind: 'transient', system: SYSTEM, status: 429, retryAfterMs: THROTTLE_WAIT_MS, code: extractCode(res.body), body: res.body,
    message: 'quickbooks answered HTTP 429 (ThrottleExceeded: 500 requests a minute or 10 a second per company): waiting the documented 60 seconds',
  });
}

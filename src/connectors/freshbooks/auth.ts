import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { oauth2RefreshTokenCredentialsSchema, refreshTokenConnection } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthorizationCodeSpec, AuthSpec } from '../contract';
import { connectionRefreshTokenAuth, trimBase, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields } from './errors';

export const SYSTEM = 'freshbooks';

export const freshbooksConfigSchema = z.object({
  baseUrl: egressUrl('https://api.freshbooks.com'),
  /** The accounting account id of the business (/accounting/account/{accountId}/...), e.g. "zDmNq". */
  accountId: z.string().regex(/^[A-Za-z0-9]+$/, 'accountId is the accounting account id: letters and digits'),
  /** The business id (projects and time tracking are addressed by it; kept for them and for checks). */
  businessId: z.string().regex(/^\d+$/, 'businessId is a number'),
  /** The app's redirect URI, sent with refresh grants as FreshBooks' examples do (set by connecting by consent). */
  redirectUri: z.string().url().optional(),
  /** FreshBooks' consent page (connecting by consent only). */
  authorizeUrl: z.url({ protocol: /^https?$/ }).default('https://auth.freshbooks.com/oauth/authorize'),
});
export type FreshbooksConfig = z.infer<typeof freshbooksConfigSchema>;

/** OAuth 2.0 authorization code, then refresh: { clientId, clientSecret, refreshToken }; refresh tokens are single use. */
export const freshbooksAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

/**
 * Connecting by consent (docs/connect/freshbooks.md): auth.freshbooks.com/oauth/authorize, the code
 * exchanged at {baseUrl}/auth/oauth/token; no PKCE documented. The redirect URI is kept in the
 * config, as FreshBooks' refresh grants repeat it. Refresh tokens are single use (rotated).
 * Scopes: the profile (the check reads the user's business memberships), clients, invoices, items.
 */
export const freshbooksAuthorization: AuthorizationCodeSpec<FreshbooksConfig> = {
  authorizeUrl: (config) => config.authorizeUrl,
  tokenUrl: (config) => `${trimBase(config.baseUrl)}/auth/oauth/token`,
  scopes: ['user:profile:read', ...['clients', 'invoices', 'billable_items'].flatMap((o) => [`user:${o}:read`, `user:${o}:write`])],
  pkce: false,
  connection: (granted) => {
    const { credentials } = refreshTokenConnection(SYSTEM, granted);
    return { credentials, config: { ...granted.config, redirectUri: granted.redirectUri } };
  },
};

export function freshbooksHttp(ctx: KitContextWithoutHttp<FreshbooksConfig>): HttpClient {
  const { baseUrl, redirectUri } = ctx.config;
  const auth = connectionRefreshTokenAuth(ctx, {
    system: SYSTEM,
    tokenUrl: `${trimBase(baseUrl)}/auth/oauth/token`,
    ...(redirectUri ? { extraParams: { redirect_uri: redirectUri } } : {}),
  });
  return createHttpClient({ system: SYSTEM, baseUrl, auth, extractFields, extractCode });
}

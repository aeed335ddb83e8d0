import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { oauth2RefreshTokenCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthSpec } from '../contract';
import { connectionRefreshTokenAuth, trimBase, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields } from './errors';

export const SYSTEM = 'freshbooks';

export const freshbooksConfigSchema = z.object({
  baseUrl: egressUrl('https://api.freshbooks.com'),
  /** The accounting account id of the business (/accounting/account/{accountId}/...), e.g. "zDmNq". */
  accountId: z.string().regex(/^[A-Za-z0-9]+$/, 'accountId is the accounting account id: letters and digits'),
  /** The business id (projects and time tracking are addressed by it; kept for them and for checks). */
  businessId: z.string().regex(/^\d+$/, 'businessId is a number'),
  /** The app's redirect URI, sent with refresh grants as FreshBooks' examples do. */
  redirectUri: z.string().url().optional(),
});
export type FreshbooksConfig = z.infer<typeof freshbooksConfigSchema>;

/** OAuth 2.0 authorization code, then refresh: { clientId, clientSecret, refreshToken }; refresh tokens are single use. */
export const freshbooksAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

export function freshbooksHttp(ctx: KitContextWithoutHttp<FreshbooksConfig>): HttpClient {
  const { baseUrl, redirectUri } = ctx.config;
  const auth = connectionRefreshTokenAuth(ctx, {
    system: SYSTEM,
    tokenUrl: `${trimBase(baseUrl)}/auth/oauth/token`,
    ...(redirectUri ? { extraParams: { redirect_uri: redirectUri } } : {}),
  });
  return createHttpClient({ system: SYSTEM, baseUrl, auth, extractFields, extractCode });
}

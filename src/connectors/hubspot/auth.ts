import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { oauth2RefreshTokenCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthSpec } from '../contract';
import { connectionRefreshTokenAuth, trimBase, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields } from './errors';

export const SYSTEM = 'hubspot';

export const hubspotConfigSchema = z.object({ baseUrl: egressUrl('https://api.hubapi.com') });
export type HubspotConfig = z.infer<typeof hubspotConfigSchema>;

/** OAuth 2.0 refresh-token grant: { clientId, clientSecret, refreshToken }. */
export const hubspotAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

/** The connection's HTTP client: base URL from config, bearer tokens from HubSpot's /oauth/v1/token. */
export function hubspotHttp(ctx: KitContextWithoutHttp<HubspotConfig>): HttpClient {
  const { baseUrl } = ctx.config;
  const auth = connectionRefreshTokenAuth(ctx, {
    system: SYSTEM,
    tokenUrl: `${trimBase(baseUrl)}/oauth/v1/token`,
  });
  return createHttpClient({ system: SYSTEM, baseUrl, auth, extractFields, extractCode });
}

import { z } from 'zod';
import { oauth2RefreshTokenAuth, oauth2RefreshTokenCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthSpec } from '../contract';
import type { KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields } from './errors';

export const SYSTEM = 'hubspot';

export const hubspotConfigSchema = z.object({ baseUrl: z.string().url().default('https://api.hubapi.com') });
export type HubspotConfig = z.infer<typeof hubspotConfigSchema>;

/** OAuth 2.0 refresh-token grant: { clientId, clientSecret, refreshToken }. */
export const hubspotAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

/** The connection's HTTP client: base URL from config, bearer tokens from HubSpot's /oauth/v1/token. */
export function hubspotHttp(ctx: KitContextWithoutHttp<HubspotConfig>): HttpClient {
  const { baseUrl } = ctx.config;
  const auth = oauth2RefreshTokenAuth({
    system: SYSTEM,
    tokenUrl: `${baseUrl.replace(/\/+$/, '')}/oauth/v1/token`,
    connection: { tenantId: ctx.tenantId, connectionId: ctx.connectionId },
    credentials: ctx.credentials,
    saveCredentials: ctx.saveCredentials,
  });
  return createHttpClient({ system: SYSTEM, baseUrl, auth, extractFields, extractCode });
}

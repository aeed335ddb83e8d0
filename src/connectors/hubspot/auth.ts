import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { oauth2RefreshTokenCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthorizationCodeSpec, AuthSpec } from '../contract';
import { connectionRefreshTokenAuth, trimBase, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields } from './errors';

export const SYSTEM = 'hubspot';

export const hubspotConfigSchema = z.object({
  baseUrl: egressUrl('https://api.hubapi.com'),
  /** Where users consent (app.hubspot.com; app-eu1.hubspot.com for accounts hosted in the EU). */
  appUrl: z.url({ protocol: /^https?$/ }).default('https://app.hubspot.com'),
});
export type HubspotConfig = z.infer<typeof hubspotConfigSchema>;

/** OAuth 2.0 refresh-token grant: { clientId, clientSecret, refreshToken }. */
export const hubspotAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

/**
 * Connecting by consent (docs/connect/hubspot.md): {appUrl}/oauth/authorize, the code exchanged at
 * {baseUrl}/oauth/v1/token. HubSpot documents no PKCE for its apps. `oauth` is required of every
 * app; the CRM scopes are the objects the connector reads and writes.
 */
export const hubspotAuthorization: AuthorizationCodeSpec<HubspotConfig> = {
  authorizeUrl: (config) => `${trimBase(config.appUrl)}/oauth/authorize`,
  tokenUrl: (config) => `${trimBase(config.baseUrl)}/oauth/v1/token`,
  scopes: ['oauth', ...['contacts', 'companies', 'deals'].flatMap((o) => [`crm.objects.${o}.read`, `crm.objects.${o}.write`])],
  pkce: false,
};

/** The connection's HTTP client: base URL from config, bearer tokens from HubSpot's /oauth/v1/token. */
export function hubspotHttp(ctx: KitContextWithoutHttp<HubspotConfig>): HttpClient {
  const { baseUrl } = ctx.config;
  const auth = connectionRefreshTokenAuth(ctx, {
    system: SYSTEM,
    tokenUrl: `${trimBase(baseUrl)}/oauth/v1/token`,
  });
  return createHttpClient({ system: SYSTEM, baseUrl, auth, extractFields, extractCode });
}

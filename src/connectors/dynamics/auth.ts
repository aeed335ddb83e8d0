import { z } from 'zod';
import { oauth2ClientCredentialsAuth, oauth2ClientCredentialsSchema } from '../../platform/auth';
import { egressUrl } from '../../platform/network';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthSpec } from '../contract';
import { trimBase, type KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields, SYSTEM } from './errors';

export const API_VERSION = 'v9.2';

export const dynamicsConfigSchema = z.object({
  /** The environment's URL: https://<org>.crm.dynamics.com (its region's host). */
  environmentUrl: egressUrl(),
  /** The Microsoft Entra tenant (directory) the app registration lives in: an identifier, not a secret. */
  tenantId: z.string().min(1),
  /** The Microsoft identity platform's host (token endpoint /{tenantId}/oauth2/v2.0/token). */
  loginBaseUrl: egressUrl('https://login.microsoftonline.com'),
});
export type DynamicsConfig = z.infer<typeof dynamicsConfigSchema>;

/** App-only OAuth 2.0 client credentials: { clientId, clientSecret } of an app registration with an application user in the environment. */
export const dynamicsAuth: AuthSpec = { scheme: 'oauth2-client-credentials', credentials: oauth2ClientCredentialsSchema };

/** The path of the Web API under the environment URL, as $batch request lines name it. */
export function servicePath(config: DynamicsConfig): string {
  return `${new URL(config.environmentUrl).pathname.replace(/\/+$/, '')}/api/data/${API_VERSION}`;
}

/** The connection's HTTP client: tokens for <environment>/.default from the tenant's token endpoint, requests to the Web API. */
export function dynamicsHttp(ctx: KitContextWithoutHttp<DynamicsConfig>): HttpClient {
  const environment = trimBase(ctx.config.environmentUrl);
  const auth = oauth2ClientCredentialsAuth({
    system: SYSTEM,
    tokenUrl: `${trimBase(ctx.config.loginBaseUrl)}/${encodeURIComponent(ctx.config.tenantId)}/oauth2/v2.0/token`,
    scope: `${environment}/.default`,
    connection: { tenantId: ctx.tenantId, connectionId: ctx.connectionId },
    credentials: ctx.credentials,
  });
  return createHttpClient({ system: SYSTEM, baseUrl: `${environment}/api/data/${API_VERSION}`, auth, extractFields, extractCode });
}

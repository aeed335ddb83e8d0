import { z } from 'zod';
import { oauth2RefreshTokenCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import { egressUrl } from '../../platform/network';
import type { AuthorizationCodeSpec, AuthSpec } from '../contract';
import { connectionRefreshTokenAuth, trimBase, type KitContextWithoutHttp } from '../kit';
import { extractFields } from './errors';

export const SYSTEM = 'workday';

export const workdayConfigSchema = z.object({
  /** The tenant's services host, as the task "View API Clients" shows it (https://wd2-impl-services1.workday.com). */
  baseUrl: egressUrl(),
  /** The tenant name, the last segment of the "Workday REST API Endpoint" (…/ccx/api/v1/<tenant>). */
  tenant: z.string().regex(/^[A-Za-z0-9_-]+$/, 'the tenant name: letters, digits, "_" and "-"'),
  /** The reference ID type workers' `workerId` is looked up by (GET /workers/<type>=<value>). */
  workerIdType: z.enum(['Employee_ID', 'Contingent_Worker_ID']).default('Employee_ID'),
  /**
   * The "Authorization Endpoint" View API Clients shows (https://impl.workday.com/<tenant>/authorize):
   * on a host of its own, so it is asked for when connecting by consent.
   */
  authorizeUrl: egressUrl().optional(),
});
export type WorkdayConfig = z.infer<typeof workdayConfigSchema>;

/**
 * OAuth 2.0 refresh-token grant against the tenant's token endpoint: { clientId, clientSecret,
 * refreshToken } of an API client registered with "Authorization Code Grant". Workday can rotate
 * refresh tokens (API clients without "Non-Expiring Refresh Tokens"): the plug-in saves a new one.
 */
export const workdayAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

/**
 * Connecting by consent (docs/connect/workday.md): the API client registered with "Authorization
 * Code Grant" sends the user to its Authorization Endpoint; the code is exchanged at the tenant's
 * token endpoint. Workday takes no scope parameter (the API client's functional areas are its
 * scope) and documents no PKCE.
 */
export const workdayAuthorization: AuthorizationCodeSpec<WorkdayConfig> = {
  authorizeUrl: (config) => config.authorizeUrl!,
  tokenUrl: (config) => tokenUrl(config),
  scopes: [],
  pkce: false,
  sessionConfig: workdayConfigSchema.required({ authorizeUrl: true }),
};

/** https://<host>/ccx/oauth2/<tenant>/token */
export function tokenUrl(config: WorkdayConfig): string {
  return `${trimBase(config.baseUrl)}/ccx/oauth2/${encodeURIComponent(config.tenant)}/token`;
}

/** One client for every service: paths carry /ccx/api/<service>/<version>/<tenant>/… (api.ts). */
export function workdayHttp(ctx: KitContextWithoutHttp<WorkdayConfig>): HttpClient {
  const auth = connectionRefreshTokenAuth(ctx, { system: SYSTEM, tokenUrl: tokenUrl(ctx.config) });
  return createHttpClient({ system: SYSTEM, baseUrl: trimBase(ctx.config.baseUrl), auth, extractFields });
}

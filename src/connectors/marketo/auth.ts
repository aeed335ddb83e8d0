import { z } from 'zod';
import { oauth2ClientCredentialsAuth, oauth2ClientCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import { egressUrl } from '../../platform/network';
import type { AuthSpec } from '../contract';
import { trimBase, type KitContextWithoutHttp } from '../kit';
import { classifyMarketo, SYSTEM } from './errors';

/** `munchkinId` (Admin > Integration > Munchkin: 123-ABC-456); `baseUrl` overrides https://<munchkinId>.mktorest.com (the sandbox). */
export const marketoConfigSchema = z.object({
  munchkinId: z.string().regex(/^\d{3}-[A-Z]{3}-\d{3}$/i, 'the Munchkin account id, as in 123-ABC-456'),
  baseUrl: egressUrl().optional(),
});
export type MarketoConfig = z.infer<typeof marketoConfigSchema>;

/** A LaunchPoint custom service's Client ID and Client Secret (owned by an API-only user). */
export const marketoAuth: AuthSpec = { scheme: 'oauth2-client-credentials', credentials: oauth2ClientCredentialsSchema };

export function marketoBaseUrl(config: MarketoConfig): string {
  return trimBase(config.baseUrl ?? `https://${config.munchkinId.toLowerCase()}.mktorest.com`);
}

/**
 * The identity endpoint issues hour-long tokens for the client credentials (its parameters in the
 * query string, as Marketo documents them); every call carries the token as `Authorization: Bearer`
 * (the access_token query parameter is no longer accepted after January 31, 2026).
 */
export function marketoHttp(ctx: KitContextWithoutHttp<MarketoConfig>): HttpClient {
  const base = marketoBaseUrl(ctx.config);
  const auth = oauth2ClientCredentialsAuth({
    system: SYSTEM, tokenUrl: `${base}/identity/oauth/token`, grantIn: 'query',
    connection: { tenantId: ctx.tenantId, connectionId: ctx.connectionId }, credentials: ctx.credentials,
  });
  return createHttpClient({ system: SYSTEM, baseUrl: base, auth, classify: classifyMarketo });
}

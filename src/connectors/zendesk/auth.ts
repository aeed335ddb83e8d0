import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { basicAuth, readCredentials } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthSpec } from '../contract';
import type { KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields } from './errors';

export const SYSTEM = 'zendesk';

/** `subdomain` of https://<subdomain>.zendesk.com; `baseUrl` overrides it (host-mapped accounts, the sandbox). */
export const zendeskConfigSchema = z.object({
  subdomain: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'the account subdomain, as in https://<subdomain>.zendesk.com'),
  baseUrl: egressUrl().optional(),
});
export type ZendeskConfig = z.infer<typeof zendeskConfigSchema>;

/** An agent's email and an API token (Admin Center > Apps and integrations > Zendesk API). */
export const zendeskCredentialsSchema = z.looseObject({ email: z.string().email(), apiToken: z.string().min(1) });
export const zendeskAuth: AuthSpec = { scheme: 'basic', credentials: zendeskCredentialsSchema };

export function zendeskBaseUrl(config: ZendeskConfig): string {
  return config.baseUrl ?? `https://${config.subdomain}.zendesk.com`;
}

/**
 * API-token authentication is HTTP Basic with `{email}/token` as the user name and the token as the
 * password (developer.zendesk.com "Security and authentication": API token).
 */
export function zendeskHttp(ctx: KitContextWithoutHttp<ZendeskConfig>): HttpClient {
  const auth = basicAuth({
    system: SYSTEM,
    credentials: async () => {
      const { parsed } = await readCredentials(SYSTEM, ctx.credentials, zendeskCredentialsSchema);
      return { username: `${parsed.email}/token`, password: parsed.apiToken };
    },
  });
  return createHttpClient({ system: SYSTEM, baseUrl: zendeskBaseUrl(ctx.config), auth, extractFields, extractCode });
}

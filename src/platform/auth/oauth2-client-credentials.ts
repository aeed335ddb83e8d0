import { z } from 'zod';
import { secretField } from '../credentials/redact';
import { bearerTokenPlugin, type BearerTokenPlugin } from './bearer-token-plugin';
import { readCredentials, type ConnectionRef, type CredentialsSource } from './credentials';
import { requestToken, type AccessToken, type TokenEndpointOptions } from './oauth2-token-endpoint';
import type { SingleFlightCache } from './single-flight-cache';

export const oauth2ClientCredentialsSchema = z.looseObject({
  clientId: z.string().min(1),
  clientSecret: secretField(z.string().min(1)),
});
export type OAuth2ClientCredentials = z.infer<typeof oauth2ClientCredentialsSchema>;

export interface OAuth2ClientCredentialsOptions extends TokenEndpointOptions {
  connection: ConnectionRef;
  credentials: CredentialsSource;
  /** e.g. 'https://graph.microsoft.com/.default', 'https://<org>.crm.dynamics.com/.default'. */
  scope?: string;
  extraParams?: Record<string, string>;
  cache?: SingleFlightCache<AccessToken>;
  expirySkewMs?: number;
}

/** OAuth 2.0 client-credentials grant, app-only (Dynamics 365, Microsoft Graph, Marketo). */
export function oauth2ClientCredentialsAuth(options: OAuth2ClientCredentialsOptions): BearerTokenPlugin {
  const fetchToken = async (): Promise<AccessToken> => {
    const { parsed } = await readCredentials(options.system, options.credentials, oauth2ClientCredentialsSchema);
    const grant: Record<string, string> = { ...options.extraParams, grant_type: 'client_credentials' };
    if (options.scope) grant.scope = options.scope;
    return requestToken(options, { id: parsed.clientId, secret: parsed.clientSecret }, grant);
  };
  return bearerTokenPlugin({ connection: options.connection, fetchToken, cache: options.cache, expirySkewMs: options.expirySkewMs });
}

import { z } from 'zod';
import { secretField } from '../credentials/redact';
import type { Credentials } from '../credentials/store';
import { ConnectorError, isConnectorError } from '../errors';
import { bearerTokenPlugin, type BearerTokenPlugin } from './bearer-token-plugin';
import { readCredentials, type ConnectionRef, type CredentialsSource } from './credentials';
import { requestToken, type AccessToken, type TokenEndpointOptions } from './oauth2-token-endpoint';
import type { SingleFlightCache } from './single-flight-cache';

export const oauth2RefreshTokenCredentialsSchema = z.looseObject({
  clientId: z.string().min(1),
  clientSecret: secretField(z.string().min(1)),
  refreshToken: secretField(z.string().min(1)),
});
export type OAuth2RefreshTokenCredentials = z.infer<typeof oauth2RefreshTokenCredentialsSchema>;

export interface OAuth2RefreshTokenOptions extends Omit<TokenEndpointOptions, 'tokenUrl'> {
  /**
   * The token endpoint, or a function of the stored credentials for endpoints that name a value of
   * the credentials (Microsoft identity platform: /{tenantId}/oauth2/v2.0/token).
   */
  tokenUrl: string | ((credentials: Credentials) => string);
  connection: ConnectionRef;
  credentials: CredentialsSource;
  /** Stores credentials whose refresh token the endpoint rotated; awaited before the new access token is used. */
  saveCredentials: (updated: Credentials) => Promise<void>;
  /** Extra form fields of the grant (scope, ...). */
  extraParams?: Record<string, string>;
  cache?: SingleFlightCache<AccessToken>;
  expirySkewMs?: number;
  /**
   * How long an `invalid_grant` waits for another worker's rotation to reach the store before the
   * connection is declared in need of re-authorisation (single-use refresh tokens: two workers
   * refreshing at once present the same token, and only the first is honoured).
   */
  rotationGraceMs?: number;
  /** Pause between reads of the store while waiting for that rotation. */
  rotationPollMs?: number;
}

export interface OAuth2RefreshTokenPlugin extends BearerTokenPlugin {
  /** The instance_url of the token response (Salesforce), to build the client's base URL from. */
  instanceUrl(): Promise<string>;
}

/** OAuth 2.0 refresh-token grant (Salesforce, HubSpot, Workday, QuickBooks...). */
export function oauth2RefreshTokenAuth(options: OAuth2RefreshTokenOptions): OAuth2RefreshTokenPlugin {
  const { system } = options;

  const read = () => readCredentials(system, options.credentials, oauth2RefreshTokenCredentialsSchema);

  const refreshWith = async ({ raw, parsed }: Awaited<ReturnType<typeof read>>): Promise<AccessToken> => {
    const tokenUrl = typeof options.tokenUrl === 'function' ? options.tokenUrl(raw) : options.tokenUrl;
    const token = await requestToken({ ...options, tokenUrl }, { id: parsed.clientId, secret: parsed.clientSecret },
      { ...options.extraParams, grant_type: 'refresh_token', refresh_token: parsed.refreshToken });
    if (token.refreshToken && token.refreshToken !== parsed.refreshToken) {
      await saveRotatedRefreshToken(system, options.saveCredentials, { ...raw, refreshToken: token.refreshToken });
    }
    return token;
  };

  const refresh = async (): Promise<AccessToken> => {
    const presented = await read();
    try {
      return await refreshWith(presented);
    } catch (err) {
      if (!(isConnectorError(err) && err.code === 'invalid_grant')) throw err;
      // Another worker may have used the same single-use token first and be saving its successor.
      const rotated = await awaitRotation(read, presented.parsed.refreshToken,
        options.rotationGraceMs ?? DEFAULT_ROTATION_GRACE_MS, options.rotationPollMs ?? DEFAULT_ROTATION_POLL_MS);
      if (!rotated) throw err;
      return refreshWith(rotated);
    }
  };

  const bearer = bearerTokenPlugin({ connection: options.connection, fetchToken: refresh, cache: options.cache, expirySkewMs: options.expirySkewMs });
  return {
    ...bearer,
    async instanceUrl() {
      const { instanceUrl } = await bearer.token();
      if (!instanceUrl) throw new ConnectorError({ kind: 'permanent', system, message: `${system} token response carried no instance_url` });
      return instanceUrl;
    },
  };
}

const DEFAULT_ROTATION_GRACE_MS = 5_000;
const DEFAULT_ROTATION_POLL_MS = 100;

/** Reads the store until its refresh token differs from the one presented, or the grace runs out. */
async function awaitRotation<T extends { parsed: { refreshToken: string } }>(read: () => Promise<T>, presented: string,
  graceMs: number, pollMs: number): Promise<T | undefined> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const current = await read();
    if (current.parsed.refreshToken !== presented) return current;
    if (Date.now() + pollMs > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function saveRotatedRefreshToken(system: string, save: (updated: Credentials) => Promise<void>, updated: Credentials): Promise<void> {
  try {
    await save(updated);
  } catch (err) {
    // The old refresh token may already be void: say so plainly rather than fail later with invalid_grant.
    throw new ConnectorError({
      kind: 'transient',
      system,
      message: `${system} rotated the refresh token but saving it failed (${err instanceof Error ? err.message : String(err)}); if the next refresh fails with invalid_grant the connection must be re-authorised`,
      cause: err,
    });
  }
}

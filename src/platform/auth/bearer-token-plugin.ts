import { registerSecret } from '../credentials/redact';
import type { AuthPlugin, OutgoingRequest } from '../http';
import { connectionKey, type ConnectionRef } from './credentials';
import { DEFAULT_EXPIRY_SKEW_MS, sharedAccessTokens, type AccessToken } from './oauth2-token-endpoint';
import type { SingleFlightCache } from './single-flight-cache';

export interface BearerTokenPluginOptions {
  connection: ConnectionRef;
  /** Gets a fresh token from the system; called at most once at a time per connection. */
  fetchToken: () => Promise<AccessToken>;
  cache?: SingleFlightCache<AccessToken>;
  expirySkewMs?: number;
}

export interface BearerTokenPlugin extends AuthPlugin {
  /** The current token, fetching one if none is valid. */
  token(): Promise<AccessToken>;
}

/**
 * Puts a cached OAuth access token on every request: fetched once per connection at a time, reused
 * until shortly before it expires, and forgotten after a 401 so the one retry uses a fresh one.
 */
export function bearerTokenPlugin(options: BearerTokenPluginOptions): BearerTokenPlugin {
  const cache = options.cache ?? sharedAccessTokens;
  const key = connectionKey(options.connection);
  const tokenUsedBy = new WeakMap<OutgoingRequest, AccessToken>();
  const token = () => cache.get(key, options.fetchToken, options.expirySkewMs ?? DEFAULT_EXPIRY_SKEW_MS);

  return {
    token,
    async apply(req) {
      const current = await token();
      registerSecret(current.accessToken); // a cached token meets a new scope here
      tokenUsedBy.set(req, current);
      req.headers.authorization = `Bearer ${current.accessToken}`;
    },
    async onUnauthorized(rejected) {
      cache.invalidate(key, tokenUsedBy.get(rejected));
      return true;
    },
  };
}

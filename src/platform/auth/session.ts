import type { Credentials } from '../credentials/store';
import { registerSecret, registerSecretFields } from '../credentials/redact';
import type { AuthPlugin, OutgoingRequest } from '../http';
import { connectionKey, type ConnectionRef, type CredentialsSource } from './credentials';
import { SingleFlightCache } from './single-flight-cache';

export interface Session {
  sessionId: string;
  expiresAt: number;
}

/** Sessions of every connection in this process, keyed by tenant/connection. */
export const sharedSessions = new SingleFlightCache<Session>();

export const DEFAULT_SESSION_SKEW_MS = 60_000;

export interface SessionAuthOptions {
  connection: ConnectionRef;
  credentials: CredentialsSource;
  /** The system's login call (Sage Intacct getAPISession): credentials in, session id and expiry out. */
  login: (credentials: Credentials) => Promise<Session>;
  /**
   * Puts the session on a request; by default an `Authorization: Bearer <id>` header. Sage Intacct
   * puts it inside the XML body instead.
   */
  attach?: (req: OutgoingRequest, sessionId: string) => void;
  cache?: SingleFlightCache<Session>;
  expirySkewMs?: number;
}

/** A login that yields a session id: one login at a time per connection, re-login after a 401. */
export function sessionAuth(options: SessionAuthOptions): AuthPlugin {
  const cache = options.cache ?? sharedSessions;
  const key = connectionKey(options.connection);
  const sessionUsedBy = new WeakMap<OutgoingRequest, Session>();
  const attach = options.attach ?? ((req, sessionId) => { req.headers.authorization = `Bearer ${sessionId}`; });

  const login = async (): Promise<Session> => {
    const credentials = await options.credentials();
    registerSecretFields(undefined, credentials);
    const session = await options.login(credentials);
    registerSecret(session.sessionId);
    return session;
  };

  return {
    async apply(req) {
      const session = await cache.get(key, login, options.expirySkewMs ?? DEFAULT_SESSION_SKEW_MS);
      registerSecret(session.sessionId); // a cached session meets a new scope here
      sessionUsedBy.set(req, session);
      attach(req, session.sessionId);
    },
    async onUnauthorized(rejected) {
      cache.invalidate(key, sessionUsedBy.get(rejected));
      return true;
    },
  };
}

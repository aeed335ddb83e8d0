import { randomBytes } from 'node:crypto';
import type { SandboxClock } from '../clock';
import type { HandlerContext, Reply, RouteProbe, SandboxRequest } from '../types';
import { bearerToken, formFields, type AuthScheme } from './auth-scheme';
import { randomSecret } from './token-book';

export interface IssuedSession {
  sessionId: string;
  /** Seconds until it expires (from now, on the sandbox clock). */
  expiresIn: number;
  /** ISO 8601, sandbox clock. */
  expiresAt: string;
}

export interface SessionLoginOptions {
  /** The login call: a public route, outside the rate limit. */
  login: {
    method?: 'POST' | 'GET';
    path: string;
    /** When the login shares its path with API calls (one XML endpoint): true for a login request. */
    when?(req: RouteProbe): boolean;
    /** The credentials the login request presents. Default: its JSON or form body's string fields. */
    read?(req: SandboxRequest): Record<string, string> | undefined;
  };
  /** The valid login credentials, by field (e.g. { userId, companyId, password }); `secret` ones are random when absent. */
  credentials: Record<string, string | { secret: true }>;
  /** Where API calls carry the session. Default: `Authorization: Bearer <session id>`. */
  readSession?(req: SandboxRequest): string | undefined;
  /** Session lifetime on the sandbox clock. Default 1800 s. */
  sessionTtlSeconds?: number;
  /** True when each use extends the session by its lifetime (an inactivity timeout). Default false. */
  sliding?: boolean;
  /** The system's answer to a good login. */
  loginResponse(session: IssuedSession, req: SandboxRequest, ctx: HandlerContext): Reply;
  /** The system's answer to a bad or incomplete login. */
  errors: { badLogin(req: SandboxRequest, ctx: HandlerContext): Reply };
  /** The connector's credential shape. Default: the credentials as they are. */
  credentialsShape?(c: Record<string, string>): Record<string, unknown>;
}

/**
 * Session login (Sage Intacct's getAPISession, Salesforce's SOAP login, ServiceNow and others): a
 * login call with the account's credentials answers a session id; API calls carry it until it
 * expires (401 `expired` after that, `invalid` for an id never issued). A client logs in again.
 * The `expire-token` fault ends every session at once.
 */
export function sessionLogin(options: SessionLoginOptions): (clock: SandboxClock) => AuthScheme {
  return (clock) => {
    const valid: Record<string, string> = Object.fromEntries(Object.entries(options.credentials)
      .map(([k, v]) => [k, typeof v === 'string' ? v : randomSecret('sbx-pw-')]));
    const ttlMs = (options.sessionTtlSeconds ?? 1800) * 1000;
    const sessions = new Map<string, { subject: string; expiresAtMs: number }>();
    const readLogin = options.login.read ?? formFields;
    const readSession = options.readSession ?? bearerToken;

    return {
      name: 'session',
      routes: [{
        method: options.login.method ?? 'POST',
        path: options.login.path,
        public: true,
        rateLimited: false,
        ...(options.login.when ? { when: options.login.when } : {}),
        handle: (req, ctx) => {
          const given = readLogin(req);
          if (!given || Object.entries(valid).some(([k, v]) => given[k] !== v)) return options.errors.badLogin(req, ctx);
          const sessionId = randomBytes(24).toString('base64url');
          const expiresAtMs = clock.nowMs() + ttlMs;
          sessions.set(sessionId, { subject: Object.values(valid)[0] ?? 'session', expiresAtMs });
          return options.loginResponse({ sessionId, expiresIn: Math.round(ttlMs / 1000), expiresAt: new Date(expiresAtMs).toISOString() }, req, ctx);
        },
      }],
      authenticate: (req) => {
        const sessionId = readSession(req);
        if (!sessionId) return { ok: false, failure: 'missing' };
        const session = sessions.get(sessionId);
        if (!session) return { ok: false, failure: 'invalid' };
        if (clock.nowMs() >= session.expiresAtMs) return { ok: false, failure: 'expired' };
        if (options.sliding) session.expiresAtMs = clock.nowMs() + ttlMs;
        return { ok: true, principal: { scheme: 'session', subject: session.subject } };
      },
      credentials: () => (options.credentialsShape ?? ((c) => ({ ...c })))({ ...valid }),
      expireAccessTokens: () => {
        for (const session of sessions.values()) session.expiresAtMs = Number.NEGATIVE_INFINITY;
      },
    };
  };
}

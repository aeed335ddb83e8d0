import type { SandboxClock } from '../clock';
import { basicCredentials, bearerToken, type AuthScheme } from './auth-scheme';
import { randomSecret } from './token-book';

export interface StaticTokenOptions {
  /** The token/API key (random when absent). */
  token?: string;
  /**
   * Where it travels: 'bearer' (Authorization: Bearer <token>, Stripe/Slack) or the name of a
   * header that carries it bare (e.g. 'x-shopify-access-token'). Default 'bearer'.
   */
  header?: 'bearer' | string;
  credentialsShape?(token: string): Record<string, unknown>;
}

/** A long-lived bearer token or API key. Never expires, so `expire-token` does nothing here. */
export function staticToken(options: StaticTokenOptions = {}): (clock: SandboxClock) => AuthScheme {
  return () => {
    const token = options.token ?? randomSecret('sbx-key-', 24);
    const header = (options.header ?? 'bearer').toLowerCase();
    return {
      name: 'api-key',
      routes: [],
      authenticate: (req) => {
        const raw = req.headers[header];
        const given = header === 'bearer' ? bearerToken(req) : Array.isArray(raw) ? raw[0] : raw;
        if (!given) return { ok: false, failure: 'missing' };
        return given === token ? { ok: true, principal: { scheme: 'api-key', subject: 'api-key' } } : { ok: false, failure: 'invalid' };
      },
      credentials: () => (options.credentialsShape ?? ((t) => ({ apiKey: t })))(token),
      expireAccessTokens: () => undefined,
    };
  };
}

export interface BasicAuthOptions {
  username?: string;
  password?: string;
  credentialsShape?(c: { username: string; password: string }): Record<string, unknown>;
}

/** HTTP Basic (JIRA email + API token, ServiceNow, Sage). Never expires. */
export function basicAuth(options: BasicAuthOptions = {}): (clock: SandboxClock) => AuthScheme {
  return () => {
    const username = options.username ?? 'sandbox@example.com';
    const password = options.password ?? randomSecret('sbx-pw-');
    return {
      name: 'basic',
      routes: [],
      authenticate: (req) => {
        const given = basicCredentials(req);
        if (!given) return { ok: false, failure: 'missing' };
        return given.user === username && given.password === password
          ? { ok: true, principal: { scheme: 'basic', subject: username } }
          : { ok: false, failure: 'invalid' };
      },
      credentials: () => (options.credentialsShape ?? ((c) => ({ ...c })))({ username, password }),
      expireAccessTokens: () => undefined,
    };
  };
}

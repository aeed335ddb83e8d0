import type { SandboxClock } from '../clock';
import type { HandlerContext, Reply, SandboxRequest } from '../types';
import { basicCredentials, bearerToken, formFields, type AuthScheme } from './auth-scheme';
import { AuthorizationCodes, type AuthorizationCodeOptions } from './authorization-code';
import { randomSecret } from './token-book';

/**
 * An app installed by consent that receives a long-lived token (Shopify's offline access token):
 * the consent page, and a token endpoint exchanging a code for a new token of this scheme.
 */
export interface AppInstallOptions {
  clientId: string;
  clientSecret: string;
  tokenPath: string;
  authorizationCode: AuthorizationCodeOptions;
  /** Prefix of issued tokens. */
  tokenPrefix: string;
  tokenResponse(token: string, scope: string): Reply;
  /** The client id or secret is wrong. */
  badClient(req: SandboxRequest, ctx: HandlerContext): Reply;
}

export interface StaticTokenOptions {
  /** The token/API key (random when absent). */
  token?: string;
  /**
   * Where it travels: 'bearer' (Authorization: Bearer <token>, Stripe/Slack) or the name of a
   * header that carries it bare (e.g. 'x-shopify-access-token'). Default 'bearer'.
   */
  header?: 'bearer' | string;
  credentialsShape?(token: string): Record<string, unknown>;
  /** Tokens may also be obtained by installing an app by consent (Shopify). */
  appInstall?: AppInstallOptions;
}

/** A long-lived bearer token or API key. Never expires, so `expire-token` does nothing here. */
export function staticToken(options: StaticTokenOptions = {}): (clock: SandboxClock) => AuthScheme {
  return (clock) => {
    const token = options.token ?? randomSecret('sbx-key-', 24);
    const header = (options.header ?? 'bearer').toLowerCase();
    const valid = new Set([token]);
    return {
      name: 'api-key',
      routes: options.appInstall ? appInstallRoutes(options.appInstall, clock, valid) : [],
      authenticate: (req) => {
        const raw = req.headers[header];
        const given = header === 'bearer' ? bearerToken(req) : Array.isArray(raw) ? raw[0] : raw;
        if (!given) return { ok: false, failure: 'missing' };
        return valid.has(given) ? { ok: true, principal: { scheme: 'api-key', subject: 'api-key' } } : { ok: false, failure: 'invalid' };
      },
      credentials: () => (options.credentialsShape ?? ((t) => ({ apiKey: t })))(token),
      expireAccessTokens: () => undefined,
    };
  };
}

function appInstallRoutes(app: AppInstallOptions, clock: SandboxClock, valid: Set<string>) {
  const codes = new AuthorizationCodes(app.authorizationCode, clock, app.clientId);
  return [
    ...codes.routes(),
    {
      method: 'POST' as const,
      path: app.tokenPath,
      public: true,
      rateLimited: false,
      handle: (req: SandboxRequest, ctx: HandlerContext): Reply => {
        const form = formFields(req);
        if (form.client_id !== app.clientId || form.client_secret !== app.clientSecret) return app.badClient(req, ctx);
        const redeemed = codes.redeem(form, req, ctx);
        if (!redeemed.ok) return redeemed.reply;
        const issued = randomSecret(app.tokenPrefix);
        valid.add(issued);
        return app.tokenResponse(issued, redeemed.scope);
      },
    },
  ];
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

import type { HandlerContext, Reply, SandboxRequest } from '../types';
import type { SandboxClock } from '../clock';
import { basicCredentials, bearerToken, formFields, type AuthScheme } from './auth-scheme';
import { randomSecret, TokenBook } from './token-book';

export interface OAuth2ClientCredentialsOptions {
  /** The token endpoint, e.g. /{tenant}/oauth2/v2.0/token (Microsoft), /identity/oauth/token (Marketo). */
  tokenPath: string;
  /** The HTTP method of the token endpoint (Marketo's identity endpoint also answers GET). Default POST. */
  tokenMethod?: 'GET' | 'POST';
  clientId?: string;
  clientSecret?: string;
  accessTokenTtlSeconds?: number;
  tokenPrefix?: string;
  credentialsShape?(c: { clientId: string; clientSecret: string }): Record<string, unknown>;
  tokenResponse(issued: { accessToken: string; expiresIn: number }, req: SandboxRequest, ctx: HandlerContext): Reply;
  errors: {
    unsupportedGrantType(req: SandboxRequest, ctx: HandlerContext): Reply;
    invalidClient(req: SandboxRequest, ctx: HandlerContext): Reply;
  };
}

/**
 * OAuth 2.0 client-credentials grant (RFC 6749 §4.4): the client's id and secret (form body,
 * query string for GET endpoints, or a Basic header) buy an access token; API calls carry it as a
 * Bearer token.
 */
export function oauth2ClientCredentials(options: OAuth2ClientCredentialsOptions): (clock: SandboxClock) => AuthScheme {
  return (clock) => {
    const clientId = options.clientId ?? randomSecret('sbx-client-', 9);
    const clientSecret = options.clientSecret ?? randomSecret('sbx-secret-');
    const ttl = options.accessTokenTtlSeconds ?? 3600;
    const tokens = new TokenBook(clock, options.tokenPrefix ?? 'sbx-at-');
    const shape = options.credentialsShape ?? ((c) => ({ ...c }));
    return {
      name: 'oauth2-client-credentials',
      routes: [
        {
          method: options.tokenMethod ?? 'POST',
          path: options.tokenPath,
          public: true,
          rateLimited: false,
          handle: (req, ctx) => {
            const form = { ...Object.fromEntries(req.query), ...formFields(req) };
            const basic = basicCredentials(req);
            if (form.grant_type !== 'client_credentials') return options.errors.unsupportedGrantType(req, ctx);
            if ((form.client_id ?? basic?.user) !== clientId || (form.client_secret ?? basic?.password) !== clientSecret) {
              return options.errors.invalidClient(req, ctx);
            }
            const issued = tokens.issue(clientId, ttl);
            return options.tokenResponse({ accessToken: issued.token, expiresIn: issued.expiresIn }, req, ctx);
          },
        },
      ],
      authenticate: (req) => {
        const token = bearerToken(req);
        if (!token) return { ok: false, failure: 'missing' };
        const check = tokens.check(token);
        if (check.status === 'valid') return { ok: true, principal: { scheme: 'oauth2-client-credentials', subject: check.subject } };
        return { ok: false, failure: check.status === 'expired' ? 'expired' : 'invalid' };
      },
      credentials: () => shape({ clientId, clientSecret }),
      expireAccessTokens: () => tokens.expireAll(),
    };
  };
}

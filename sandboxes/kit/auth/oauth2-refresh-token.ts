import type { HandlerContext, Reply, SandboxRequest } from '../types';
import type { SandboxClock } from '../clock';
import { basicCredentials, bearerToken, formFields, type AuthScheme } from './auth-scheme';
import { AuthorizationCodes, type AuthorizationCodeOptions } from './authorization-code';
import { randomSecret, TokenBook } from './token-book';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  /** The grant that asked: some systems answer a code grant with more (Salesforce's refresh_token). */
  grant: 'refresh_token' | 'authorization_code';
  /** The scope the user granted (code grant only). */
  scope?: string;
  /** The authorization request's query parameters (code grant only): Google grants a refresh token only for access_type=offline. */
  authorizeRequest?: Record<string, string>;
}

export interface OAuth2RefreshTokenOptions {
  /** The token endpoint, e.g. /oauth/v1/token (HubSpot), /services/oauth2/token (Salesforce). */
  tokenPath: string;
  clientId?: string;
  clientSecret?: string;
  /** The refresh token handed out by GET /__sandbox/credentials (random when absent). */
  refreshToken?: string;
  /** Access token lifetime on the sandbox clock. Default 1800 s. */
  accessTokenTtlSeconds?: number;
  /** When true, each refresh returns a new refresh token and the one used stops working. */
  rotateRefreshTokens?: boolean;
  /** Prefix of generated tokens, to make them recognisable in logs. */
  tokenPrefix?: string;
  /**
   * The authorization-code grant (a consent page and grant_type=authorization_code at tokenPath),
   * for systems whose connections are made by a user's consent. Its refresh tokens join the others.
   */
  authorizationCode?: AuthorizationCodeOptions;
  /** The connector's credential shape. Default { clientId, clientSecret, refreshToken }. */
  credentialsShape?(c: { clientId: string; clientSecret: string; refreshToken: string }): Record<string, unknown>;
  /** The system's success body. */
  tokenResponse(issued: IssuedTokens, req: SandboxRequest, ctx: HandlerContext): Reply;
  /** The system's own error bodies. */
  errors: {
    unsupportedGrantType(req: SandboxRequest, ctx: HandlerContext): Reply;
    badClientId(req: SandboxRequest, ctx: HandlerContext): Reply;
    badClientSecret(req: SandboxRequest, ctx: HandlerContext): Reply;
    badRefreshToken(req: SandboxRequest, ctx: HandlerContext): Reply;
  };
}

/**
 * OAuth 2.0 refresh-token grant (RFC 6749 §6): POST tokenPath with grant_type=refresh_token,
 * refresh_token and the client's id and secret (in the form body or a Basic header, §2.3.1).
 * API calls carry `Authorization: Bearer <access token>`.
 */
export function oauth2RefreshToken(options: OAuth2RefreshTokenOptions): (clock: SandboxClock) => AuthScheme {
  return (clock) => {
    const clientId = options.clientId ?? randomSecret('sbx-client-', 9);
    const clientSecret = options.clientSecret ?? randomSecret('sbx-secret-');
    const ttl = options.accessTokenTtlSeconds ?? 1800;
    const tokens = new TokenBook(clock, options.tokenPrefix ?? 'sbx-at-');
    const refreshTokens = new Set<string>([options.refreshToken ?? randomSecret('sbx-rt-')]);
    const shape = options.credentialsShape ?? ((c) => ({ ...c }));
    const currentRefreshToken = (): string => [...refreshTokens].at(-1) ?? '';
    const codes = options.authorizationCode ? new AuthorizationCodes(options.authorizationCode, clock, clientId) : undefined;

    return {
      name: 'oauth2-refresh-token',
      routes: [
        ...(codes?.routes() ?? []),
        {
          method: 'POST',
          path: options.tokenPath,
          public: true,
          rateLimited: false,
          handle: (req, ctx) => {
            const form = formFields(req);
            const basic = basicCredentials(req);
            const givenId = form.client_id ?? basic?.user;
            const givenSecret = form.client_secret ?? basic?.password;
            const codeGrant = form.grant_type === 'authorization_code' && codes !== undefined;
            if (form.grant_type !== 'refresh_token' && !codeGrant) return options.errors.unsupportedGrantType(req, ctx);
            if (givenId !== clientId) return options.errors.badClientId(req, ctx);
            if (givenSecret !== clientSecret) return options.errors.badClientSecret(req, ctx);
            if (codeGrant) {
              const redeemed = codes.redeem(form, req, ctx);
              if (!redeemed.ok) return redeemed.reply;
              const granted = randomSecret('sbx-rt-');
              refreshTokens.add(granted);
              const issued = tokens.issue(clientId, ttl);
              return options.tokenResponse({ accessToken: issued.token, refreshToken: granted, expiresIn: issued.expiresIn, grant: 'authorization_code', scope: redeemed.scope, authorizeRequest: redeemed.request }, req, ctx);
            }
            const used = form.refresh_token;
            if (!used || !refreshTokens.has(used)) return options.errors.badRefreshToken(req, ctx);
            let refreshToken = used;
            if (options.rotateRefreshTokens) {
              refreshTokens.delete(used);
              refreshToken = randomSecret('sbx-rt-');
              refreshTokens.add(refreshToken);
            }
            const issued = tokens.issue(clientId, ttl);
            return options.tokenResponse({ accessToken: issued.token, refreshToken, expiresIn: issued.expiresIn, grant: 'refresh_token' }, req, ctx);
          },
        },
      ],
      authenticate: (req) => {
        const token = bearerToken(req);
        if (!token) return { ok: false, failure: 'missing' };
        const check = tokens.check(token);
        if (check.status === 'valid') return { ok: true, principal: { scheme: 'oauth2-refresh-token', subject: check.subject } };
        return { ok: false, failure: check.status === 'expired' ? 'expired' : 'invalid' };
      },
      credentials: () => shape({ clientId, clientSecret, refreshToken: currentRefreshToken() }),
      expireAccessTokens: () => tokens.expireAll(),
    };
  };
}

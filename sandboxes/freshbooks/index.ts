import { oauth2RefreshToken, startSandbox, type RunningSandbox, type SandboxDefinition, type SandboxOptions } from '../kit';
import { freshbooksCatalog, freshbooksCatalogDifferences } from './catalog';
import { fault, faultReply, forStatus, tokenErrors, unauthorized } from './errors';
import { RESOURCES } from './resources';
import { accountingRoutes } from './routes';

/**
 * The FreshBooks sandbox: the accounting API's clients, invoices and items, the identity endpoint
 * and OAuth 2.0 with single-use refresh tokens. README.md names the pages it follows.
 * Vendor documentation followed: https://www.freshbooks.com/api/active_deleted (and the pages README.md lists).
 */
export interface FreshbooksSandboxOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  accountId?: string;
  businessId?: number;
  /** Access tokens last 12 hours ("Authentication"). */
  accessTokenTtlSeconds?: number;
}

export const FRESHBOOKS_SANDBOX_ACCOUNT = 'zDmNq';
export const FRESHBOOKS_SANDBOX_BUSINESS = 77_128;

export function freshbooksSandbox(options: FreshbooksSandboxOptions = {}): SandboxDefinition {
  const accountId = options.accountId ?? FRESHBOOKS_SANDBOX_ACCOUNT;
  const businessId = options.businessId ?? FRESHBOOKS_SANDBOX_BUSINESS;
  return {
    system: 'freshbooks',
    objects: RESOURCES.map((r) => r.collection),
    catalog: freshbooksCatalog,
    catalogDifferences: freshbooksCatalogDifferences,
    auth: oauth2RefreshToken({
      tokenPath: '/auth/oauth/token',
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshToken: options.refreshToken,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 43_200,
      rotateRefreshTokens: true,
      tokenPrefix: 'sbx-fb-',
      // auth.freshbooks.com/oauth/authorize (one host here); refused codes answer as refused refresh tokens do.
      authorizationCode: {
        authorizePath: '/oauth/authorize',
        providerName: 'FreshBooks',
        pkce: false,
        errors: { badCode: tokenErrors.badRefreshToken, badRedirectUri: tokenErrors.badRefreshToken, badCodeVerifier: tokenErrors.badRefreshToken },
      },
      tokenResponse: (issued, _req, ctx) => ({
        status: 200,
        body: {
          access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, refresh_token: issued.refreshToken,
          scope: 'user:profile:read user:clients:read user:clients:write user:invoices:read user:invoices:write', created_at: Math.floor(ctx.clock.nowMs() / 1000),
        },
      }),
      errors: tokenErrors,
    }),
    routes: [
      {
        method: 'GET', path: '/auth/api/v1/users/me',
        handle: () => ({
          status: 200,
          body: { response: { id: 1, first_name: 'Sandbox', last_name: 'Owner', email: 'owner@example.com', business_memberships: [{ role: 'owner', business: { id: businessId, account_id: accountId, name: 'Forgeworks Sandbox Business' } }] } },
        }),
      },
      ...accountingRoutes(accountId),
    ],
    errors: {
      unauthorized: (failure) => unauthorized(failure),
      rateLimited: () => forStatus(429),
      notFound: (req) => faultReply(fault(404, 1012, `No resource for ${req.method} ${req.path}.`)),
      malformedBody: () => faultReply(fault(400, 1005, 'The server was unable to parse your request.')),
      forStatus: (status) => forStatus(status),
    },
    firstSequence: 100_001,
    presentRecord: (object, record) => RESOURCES.find((r) => r.collection === object)?.present(record, accountId) ?? record,
    seedRecord: (_object, input) => {
      const { id, vis_state: state, updated, ...fields } = input;
      return {
        ...(id !== undefined ? { id: String(id) } : {}),
        ...(typeof updated === 'string' ? { updatedAt: new Date(updated).toISOString(), createdAt: new Date(updated).toISOString() } : {}),
        archived: state === 1,
        fields: { ...fields, ...(state === 2 ? { vis_state: 2 } : {}) },
      };
    },
    config: (baseUrl) => ({ baseUrl, accountId, businessId: String(businessId), authorizeUrl: `${baseUrl}/oauth/authorize` }),
  };
}

export function startFreshbooksSandbox(options: FreshbooksSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(freshbooksSandbox(options), options);
}

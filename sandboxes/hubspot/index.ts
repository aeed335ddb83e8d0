import {
  oauth2RefreshToken,
  startSandbox,
  type RunningSandbox,
  type SandboxDefinition,
  type SandboxOptions,
} from '../kit';
import { batchRoutes } from './batch';
import { basicObjectRoutes } from './basic-objects';
import { errorForStatus, hubspotError, rateLimitedError, tokenError, unauthorizedError } from './errors';
import { ObjectCatalog, withExtraProperties, type PropertySpec } from './objects';
import { presentFullRecord } from './properties';
import { searchRoute } from './search';
import { hubspotSeedRecord } from './seed';

/**
 * The HubSpot sandbox: CRM v3 objects (contacts, companies, deals) and OAuth 2.0, following
 * HubSpot's public reference docs (README.md lists the pages).
 */
export interface HubspotSandboxOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Access token lifetime. Default 1800 s, as HubSpot's token endpoint answers. */
  accessTokenTtlSeconds?: number;
  /** HubSpot keeps the same refresh token across refreshes; true makes each refresh replace it. */
  rotateRefreshTokens?: boolean;
  /** Custom properties to add, by object: { contacts: [{ name: 'plan', type: 'enumeration', options: [...] }] } */
  extraProperties?: Partial<Record<'contacts' | 'companies' | 'deals', PropertySpec[]>>;
}

/** HubSpot's burst limit for Professional/Enterprise accounts: 190 requests per 10 seconds. */
export const hubspotRateLimit = { limit: 190, windowMs: 10_000 };

export function hubspotSandbox(options: HubspotSandboxOptions = {}): SandboxDefinition {
  const catalog = new ObjectCatalog(withExtraProperties(options.extraProperties));
  return {
    system: 'hubspot',
    objects: catalog.specs.map((s) => s.name),
    catalog: catalog.specs.map((s) => ({ name: s.name, fields: s.properties.map((p) => ({ name: p.name, ...(p.readOnly ? { readOnly: true } : {}) })) })),
    auth: oauth2RefreshToken({
      tokenPath: '/oauth/v1/token',
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshToken: options.refreshToken,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 1800,
      rotateRefreshTokens: options.rotateRefreshTokens ?? false,
      tokenPrefix: 'sbx-hubspot-',
      // app.hubspot.com/oauth/authorize and api.hubapi.com/oauth/v1/token are one host here; HubSpot
      // documents no PKCE for its OAuth apps, so a code_challenge is ignored (README.md, OAuth).
      authorizationCode: {
        authorizePath: '/oauth/authorize',
        providerName: 'HubSpot',
        pkce: false,
        errors: {
          badCode: (_req, ctx) => tokenError('BAD_AUTH_CODE', ctx.correlationId),
          badRedirectUri: (_req, ctx) => tokenError('BAD_REDIRECT_URI', ctx.correlationId),
          badCodeVerifier: (_req, ctx) => tokenError('BAD_AUTH_CODE', ctx.correlationId),
        },
      },
      tokenResponse: (issued) => ({
        status: 200,
        body: { token_type: 'bearer', refresh_token: issued.refreshToken, access_token: issued.accessToken, expires_in: issued.expiresIn },
      }),
      errors: {
        unsupportedGrantType: (_req, ctx) => tokenError('BAD_GRANT_TYPE', ctx.correlationId),
        badClientId: (_req, ctx) => tokenError('BAD_CLIENT_ID', ctx.correlationId),
        badClientSecret: (_req, ctx) => tokenError('BAD_CLIENT_SECRET', ctx.correlationId),
        badRefreshToken: (_req, ctx) => tokenError('BAD_REFRESH_TOKEN', ctx.correlationId),
      },
    }),
    routes: [...batchRoutes(catalog), searchRoute(catalog), ...basicObjectRoutes(catalog)],
    errors: {
      unauthorized: (failure, _req, ctx) => unauthorizedError(failure, ctx.correlationId),
      rateLimited: (_info, _req, ctx) => rateLimitedError(ctx.correlationId),
      notFound: (req, ctx) => hubspotError(404, ctx.correlationId, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`),
      malformedBody: (_req, ctx) => hubspotError(400, ctx.correlationId, 'VALIDATION_ERROR', 'Invalid input JSON on line 1, column 1: the body is not valid JSON'),
      forStatus: (status, _req, ctx) => errorForStatus(status, ctx.correlationId),
    },
    rateLimit: {
      ...hubspotRateLimit,
      headers: (info) => ({
        'X-HubSpot-RateLimit-Interval-Milliseconds': String(info.windowMs),
        'X-HubSpot-RateLimit-Max': String(info.limit),
        'X-HubSpot-RateLimit-Remaining': String(info.remaining),
      }),
    },
    firstSequence: 1001,
    presentRecord: (object, record) => {
      const spec = catalog.resolve(object);
      return spec ? presentFullRecord(spec, record) : record;
    },
    seedRecord: (object, input) => hubspotSeedRecord(catalog, object, input),
    config: (baseUrl) => ({ baseUrl, appUrl: baseUrl }),
  };
}

export function startHubspotSandbox(options: HubspotSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(hubspotSandbox(options), options);
}

export type { PropertySpec } from './objects';

import {
  oauth2RefreshToken, startSandbox, type HandlerContext, type Reply, type RunningSandbox, type SandboxDefinition, type SandboxOptions,
  type SandboxRequest,
} from '../kit';
import { quickbooksCatalog, quickbooksCatalogDifferences } from './catalog';
import { runBatch } from './batch';
import { runCdc } from './cdc';
import { companyTime } from './company-time';
import { ENTITIES, entityByName, entityByResource, isObject } from './entities';
import { faultReply, faults, forStatus, QboFault, throttled, tokenError, unauthorized } from './errors';
import { createEntity, deleteEntity, presentEntity, readEntity, updateEntity } from './operations';
import { runQuery } from './query';
import { quickbooksSeedRecord } from './seed';

/**
 * The QuickBooks Online sandbox: Accounting API v3 (Customer, Item, Invoice, query, batch, CDC) and
 * Intuit's OAuth 2.0 token endpoint, following Intuit's developer docs as of minor version 75.
 * README.md names the pages.
 */
export interface QuickbooksSandboxOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** The company's realm id. */
  realmId?: string;
  /** Access tokens live 3600 s (Intuit's OAuth FAQ). */
  accessTokenTtlSeconds?: number;
}

/** "API call limits and throttles": 500 requests per minute per realm. */
export const quickbooksRateLimit = { limit: 500, windowMs: 60_000 };
export const QUICKBOOKS_SANDBOX_REALM = '9341452961850347';
const REFRESH_TOKEN_LIFETIME_SECONDS = 8_726_400;

export function quickbooksSandbox(options: QuickbooksSandboxOptions = {}): SandboxDefinition {
  const realmId = options.realmId ?? QUICKBOOKS_SANDBOX_REALM;
  const now = (ctx: HandlerContext): string => companyTime(ctx.clock.nowMs());
  const api = (handle: (req: SandboxRequest, ctx: HandlerContext) => Record<string, unknown>) => (req: SandboxRequest, ctx: HandlerContext): Reply => {
    try {
      if (req.params.realmId !== realmId) throw faults.wrongRealm();
      checkMinorVersion(req.query.get('minorversion'));
      return { status: 200, body: { ...handle(req, ctx), time: now(ctx) } };
    } catch (error) {
      if (error instanceof QboFault) return faultReply(error, now(ctx));
      throw error;
    }
  };
  const company = '/v3/company/:realmId';
  return {
    system: 'quickbooks',
    objects: ENTITIES.map((e) => e.name),
    catalog: quickbooksCatalog,
    catalogDifferences: quickbooksCatalogDifferences,
    auth: oauth2RefreshToken({
      tokenPath: '/oauth2/v1/tokens/bearer',
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshToken: options.refreshToken,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      rotateRefreshTokens: true,
      tokenPrefix: 'sbx-qbo-',
      // appcenter.intuit.com/connect/oauth2 (one host here): the redirect names the company the
      // user picked (realmId); a code or redirect_uri Intuit does not know is invalid_grant.
      authorizationCode: {
        authorizePath: '/connect/oauth2',
        providerName: 'Intuit QuickBooks',
        pkce: false,
        redirectParams: () => ({ realmId }),
        errors: {
          badCode: () => tokenError(400, 'invalid_grant'),
          badRedirectUri: () => tokenError(400, 'invalid_grant'),
          badCodeVerifier: () => tokenError(400, 'invalid_grant'),
        },
      },
      tokenResponse: (issued) => ({
        status: 200,
        body: {
          token_type: 'bearer', expires_in: issued.expiresIn, refresh_token: issued.refreshToken,
          x_refresh_token_expires_in: REFRESH_TOKEN_LIFETIME_SECONDS, access_token: issued.accessToken,
        },
      }),
      errors: {
        unsupportedGrantType: () => tokenError(400, 'unsupported_grant_type'),
        badClientId: () => tokenError(401, 'invalid_client'),
        badClientSecret: () => tokenError(401, 'invalid_client'),
        badRefreshToken: () => tokenError(400, 'invalid_grant'),
      },
    }),
    routes: [
      { method: 'GET', path: `${company}/query`, handle: api((req, ctx) => ({ QueryResponse: runQuery(ctx.records, req.query.get('query') ?? '') })) },
      { method: 'POST', path: `${company}/query`, handle: api((req, ctx) => ({ QueryResponse: runQuery(ctx.records, typeof req.body === 'string' ? req.body : req.rawBody) })) },
      { method: 'POST', path: `${company}/batch`, handle: api((req, ctx) => runBatch(ctx, req.body, now(ctx))) },
      { method: 'GET', path: `${company}/cdc`, handle: api((req, ctx) => runCdc(ctx, req.query, now(ctx))) },
      {
        method: 'GET', path: `${company}/:resource/:id`, handle: api((req, ctx) => {
          if (req.params.resource === 'companyinfo') return { CompanyInfo: { Id: realmId, CompanyName: 'Forgeworks Sandbox Company', Country: 'US', domain: 'QBO' } };
          const spec = entityByResource(req.params.resource);
          if (!spec) throw faults.unsupportedOperation(`Unknown resource ${req.params.resource}`);
          return { [spec.name]: presentEntity(spec, readEntity(ctx, spec, req.params.id)) };
        }),
      },
      {
        method: 'POST', path: `${company}/:resource`, handle: api((req, ctx) => {
          const spec = entityByResource(req.params.resource);
          if (!spec) throw faults.unsupportedOperation(`Unknown resource ${req.params.resource}`);
          const operation = req.query.get('operation');
          if (operation === 'delete') return { [spec.name]: deleteEntity(ctx, spec, req.body) };
          if (operation !== null && operation !== 'update') throw faults.invalidEnumeration('operation', operation, ['delete', 'update']);
          const isUpdate = isObject(req.body) && req.body.Id !== undefined;
          const record = isUpdate ? updateEntity(ctx, spec, req.body) : createEntity(ctx, spec, req.body);
          return { [spec.name]: presentEntity(spec, record) };
        }),
      },
    ],
    errors: {
      unauthorized: (failure, _req, ctx) => unauthorized(failure, now(ctx)),
      rateLimited: (_info, _req, ctx) => throttled(now(ctx)),
      notFound: (req, ctx) => faultReply(new QboFault(404, { Error: [{ Message: 'Not Found', Detail: `No resource for ${req.method} ${req.path}`, code: '404', element: '' }], type: 'SystemFault' }), now(ctx)),
      malformedBody: (_req, ctx) => faultReply(faults.malformedRequest('Request body could not be parsed as JSON'), now(ctx)),
      forStatus: (status, _req, ctx) => forStatus(status, now(ctx)),
    },
    rateLimit: quickbooksRateLimit,
    presentRecord: (object, record) => {
      const spec = entityByName(object);
      if (!spec) return record;
      return spec.kind === 'transaction' && record.archived ? { Id: record.id, status: 'Deleted' } : presentEntity(spec, record);
    },
    seedRecord: quickbooksSeedRecord,
    config: (baseUrl) => ({ baseUrl, realmId, tokenUrl: `${baseUrl}/oauth2/v1/tokens/bearer`, authorizeUrl: `${baseUrl}/connect/oauth2` }),
  };
}

function checkMinorVersion(value: string | null): void {
  if (value !== null && !/^\d+$/.test(value)) throw faults.invalidValue('minorversion', `minorversion ${value} is not a whole number`);
}

export function startQuickbooksSandbox(options: QuickbooksSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(quickbooksSandbox(options), options);
}

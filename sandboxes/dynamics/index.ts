import { randomUUID } from 'node:crypto';
import {
  concurrencyLimit, identityPlatformError, json, oauth2ClientCredentials, perDirectory, ReplyError, startSandbox, type Handler, type HandlerContext,
  type NewRecord, type Reply, type Route, type RunningSandbox, type SandboxDefinition, type SandboxOptions,
} from '../kit';
import { runBatch, type InnerRequest } from './batch';
import { dynamicsCatalog, dynamicsCatalogDifferences } from './catalog';
import { readCollection } from './collection';
import { DELETIONS, entities, entityBySet } from './entities';
import { forStatus, odataError, SERVICE_PROTECTION, unauthorized } from './errors';
import { parseResource } from './odata';
import { API, DataverseTables, WHO_AM_I, type Journal } from './tables';

/**
 * The Dynamics 365 / Dataverse sandbox: the Web API (OData v4) v9.2 for accounts and contacts —
 * create, retrieve, query, update with ETags, upsert by primary or alternate key, delete, $batch
 * with changesets, change tracking — behind the Microsoft identity platform's client-credentials
 * grant, with the service protection limits. README.md names the pages followed.
 * Vendor documentation followed: https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/overview (and the pages README.md lists).
 */
export interface DynamicsSandboxOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  accessTokenTtlSeconds?: number;
  /** Concurrent requests allowed per user before 429 (service protection: 52). */
  concurrencyLimit?: number;
  /** How long each request holds its concurrency slot (ms of wall time). Default 0. */
  processingMs?: number;
  /** Retry-After (seconds) sent with a service-protection 429. */
  retryAfterSeconds?: number;
}

export const SANDBOX_TENANT_ID = '3c1f5a2e-7d4b-4c8e-9f10-2b3a4c5d6e7f';
/** Service protection limits per user: 6,000 requests per 5-minute sliding window, 52 concurrent requests. */
export const dataverseRequestLimit = { limit: 6000, windowMs: 300_000 };
export const DEFAULT_CONCURRENCY_LIMIT = 52;

interface ApiCall {
  method: string;
  segment: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

function header(headers: ApiCall['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function dispatch(tables: DataverseTables, call: ApiCall, ctx: HandlerContext, journal?: Journal): Reply {
  if (call.segment === 'WhoAmI' || call.segment === 'WhoAmI()') {
    return json(200, { '@odata.context': `${ctx.baseUrl}${API}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`, ...WHO_AM_I });
  }
  const resource = parseResource(call.segment);
  const entity = tables.entity(resource.entitySet);
  const writeHeaders = { ifMatch: header(call.headers, 'if-match'), ifNoneMatch: header(call.headers, 'if-none-match'), prefer: header(call.headers, 'prefer') };
  switch (call.method) {
    case 'GET': {
      if (!resource.key) return readCollection(tables, entity, call.query, writeHeaders.prefer ?? '', ctx);
      const select = (call.query.get('$select') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      return tables.retrieve(resource, select, ctx);
    }
    case 'POST':
      if (resource.key) return odataError(405, '0x80060888', 'POST creates in a collection: use the entity set without a key.');
      return tables.create(entity, call.body, ctx, writeHeaders, journal);
    case 'PATCH':
      return tables.patch(resource, call.body, ctx, writeHeaders, journal);
    case 'DELETE':
      return tables.remove(resource, ctx, writeHeaders, journal);
    default:
      return odataError(405, '0x80060888', `The HTTP method ${call.method} is not supported on ${call.segment}.`);
  }
}

/** An inner request of a $batch as an API call: its URL absolute, path-absolute, or relative to the service root. */
function innerCall(req: InnerRequest, ctx: HandlerContext): ApiCall {
  const url = new URL(req.url, `${ctx.baseUrl}${API}/`);
  if (!url.pathname.startsWith(`${API}/`)) throw new ReplyError(odataError(400, '0x80060888', `The batch request URL '${req.url}' is not under ${API}.`));
  let body: unknown;
  if (req.body !== '') {
    try {
      body = JSON.parse(req.body);
    } catch {
      throw new ReplyError(odataError(400, '0x0', 'The request body of a batch part is not valid JSON.'));
    }
  }
  return { method: req.method, segment: decodeURIComponent(url.pathname.slice(API.length + 1)), query: url.searchParams, headers: req.headers, body };
}

export function dynamicsSandbox(options: DynamicsSandboxOptions = {}): SandboxDefinition {
  const tenantId = options.tenantId ?? SANDBOX_TENANT_ID;
  const tables = new DataverseTables();
  const limit = options.concurrencyLimit ?? DEFAULT_CONCURRENCY_LIMIT;
  const gate = concurrencyLimit({
    limit, processingMs: options.processingMs,
    refuse: () => odataError(429, SERVICE_PROTECTION.concurrency.code, SERVICE_PROTECTION.concurrency.message(limit), { 'retry-after': String(options.retryAfterSeconds ?? 1) }),
  });
  const auth = oauth2ClientCredentials({
    tokenPath: '/:tenant/oauth2/v2.0/token',
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3599,
    tokenPrefix: 'sbx-dv-',
    tokenResponse: (issued) => json(200, { token_type: 'Bearer', expires_in: issued.expiresIn, ext_expires_in: issued.expiresIn, access_token: issued.accessToken }),
    errors: {
      unsupportedGrantType: (_req, ctx) => identityPlatformError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.', ctx.correlationId),
      invalidClient: (_req, ctx) => identityPlatformError(401, 'invalid_client', 7000215, 'Invalid client secret provided.', ctx.correlationId),
    },
  });

  const apiCall: Handler = (req, ctx) => dispatch(tables, { method: req.method, segment: req.params.resource, query: req.query, headers: req.headers, body: req.body }, ctx);
  const batch: Handler = (req, ctx) => runBatch(req, async (inner, journal) => dispatch(tables, innerCall(inner, ctx), ctx, journal));
  const routes: Route[] = [
    { method: 'POST', path: `${API}/$batch`, handle: gate(batch) },
    ...(['GET', 'POST', 'PATCH', 'DELETE'] as const).map((method): Route => ({ method, path: `${API}/:resource`, handle: gate(apiCall) })),
  ];

  return {
    system: 'dynamics',
    objects: [...entities.map((e) => e.entitySet), DELETIONS],
    catalog: dynamicsCatalog,
    catalogDifferences: dynamicsCatalogDifferences,
    // The token endpoint is per directory, and the scope must be the environment's /.default.
    auth: perDirectory(auth, {
      tenantId,
      check: (req, ctx) => {
        const scope = (req.body as Record<string, unknown> | undefined)?.scope;
        if (scope === `${ctx.baseUrl}/.default`) return undefined;
        return identityPlatformError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${String(scope ?? '')} is not valid.`, ctx.correlationId);
      },
    }),
    routes,
    errors: {
      unauthorized: (_failure, _req, ctx) => unauthorized(tenantId, ctx.baseUrl, ctx.baseUrl),
      rateLimited: (info) => odataError(429, SERVICE_PROTECTION.requests.code, SERVICE_PROTECTION.requests.message(info.limit, Math.round(info.windowMs / 1000))),
      notFound: (req) => odataError(404, '0x8006088a', `Resource not found for the segment '${req.path.split('/').pop() ?? ''}'.`),
      malformedBody: () => odataError(400, '0x0', 'The request body is not valid JSON.'),
      forStatus: (status) => forStatus(status),
    },
    rateLimit: dataverseRequestLimit,
    newId: () => randomUUID(),
    presentRecord: (object, record) => {
      const entity = entityBySet(object);
      if (!entity) return { id: record.id, ...record.fields };
      return { [entity.primaryKey]: record.id, ...record.fields, createdon: record.createdAt, modifiedon: record.updatedAt };
    },
    seedRecord: (object, input): NewRecord => {
      const entity = entityBySet(object);
      if (!entity) return { fields: input };
      const { [entity.primaryKey]: id, createdon, modifiedon, versionnumber: _v, ...fields } = input;
      return {
        id: typeof id === 'string' ? id.toLowerCase() : randomUUID(),
        ...(typeof createdon === 'string' ? { createdAt: createdon } : {}),
        ...(typeof modifiedon === 'string' ? { updatedAt: modifiedon } : {}),
        fields: { ...fields, versionnumber: tables.nextVersion() },
      };
    },
    config: (baseUrl) => ({ environmentUrl: baseUrl, loginBaseUrl: baseUrl, tenantId }),
  };
}

export function startDynamicsSandbox(options: DynamicsSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(dynamicsSandbox(options), options);
}

import {
  formFields,
  oauth2RefreshToken,
  startSandbox,
  type AuthScheme,
  type RunningSandbox,
  type SandboxDefinition,
  type SandboxOptions,
} from '../kit';
import { ChangeEventBus } from './change-events';
import { collectionRoutes } from './collections';
import { StreamingEndpoint } from './cometd';
import { errorForStatus, rateLimited, restError, tokenError, unauthorized } from './errors';
import { salesforceId } from './ids';
import { queryRoutes } from './query';
import { presentForAdmin } from './records';
import { findSObject, SANDBOX_USER_ID, sobjects } from './schema';
import { salesforceSeedRecord } from './seed';
import { soapRoutes } from './soap';
import { salesforceSpec } from './spec';
import { sobjectRoutes } from './sobjects';

/**
 * The Salesforce sandbox: OAuth 2.0 refresh token, sObject Collections, SOQL query/queryAll,
 * describe, getDeleted and the SOAP undelete() call, at API version 62.0 (README.md lists the pages).
 */
export interface SalesforceSandboxOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Salesforce's token response has no expires_in; the session lives this long. Default 7200 s. */
  sessionTimeoutSeconds?: number;
  /** Change Data Capture (change-events.ts, cometd.ts). */
  changeDataCapture?: {
    /** The entities selected for change events. Default: Account, Contact, Opportunity (not Invoice__c). */
    entities?: string[];
    /** How long events stay replayable. Default 72 hours. */
    retentionMs?: number;
    /** Events delivered per rolling 24 hours before the Streaming API refuses more. Default unlimited. */
    dailyDeliveryAllocation?: number;
    /** Changes per transaction before the rest become one GAP_OVERFLOW event per entity. Default 100,000. */
    overflowThreshold?: number;
    /** Entities whose changes publish gap events (GAP_CREATE, GAP_UPDATE, ...: header only) instead. Default none. */
    gapEntities?: string[];
  };
}

/** The entities selected for Change Data Capture unless a sandbox is started with others. */
export const DEFAULT_CDC_ENTITIES = ['Account', 'Contact', 'Opportunity'];

/**
 * The sandbox's optional throttle (started with enforceRateLimit). Salesforce itself counts API calls
 * per 24 hours by edition and answers 403 REQUEST_LIMIT_EXCEEDED when they run out; the throttle
 * models a burst limit instead, so tests can see a 429 with Retry-After.
 */
export const salesforceRateLimit = { limit: 100, windowMs: 10_000 };

const ORG_ID = '00D5g00000SbxOrgEAA';
const USER_ID = SANDBOX_USER_ID;

export function salesforceSandbox(options: SalesforceSandboxOptions = {}): SandboxDefinition {
  let scheme: AuthScheme | undefined;
  const cdc = options.changeDataCapture ?? {};
  const changes = new ChangeEventBus({ entities: cdc.entities ?? DEFAULT_CDC_ENTITIES, retentionMs: cdc.retentionMs, overflowThreshold: cdc.overflowThreshold, gapEntities: cdc.gapEntities });
  const streaming = new StreamingEndpoint(changes, { dailyDeliveryAllocation: cdc.dailyDeliveryAllocation });
  const oauth = oauth2RefreshToken({
    tokenPath: '/services/oauth2/token',
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    refreshToken: options.refreshToken,
    accessTokenTtlSeconds: options.sessionTimeoutSeconds ?? 7200,
    tokenPrefix: '00D5g00000SbxOrg!',
    // The web server flow (code grant) with PKCE: login host /services/oauth2/authorize; a
    // refresh_token only in the code grant's answer, and only when the scope asked for one.
    authorizationCode: {
      authorizePath: '/services/oauth2/authorize',
      providerName: 'Salesforce',
      pkce: true,
      errors: {
        badCode: () => tokenError('invalid_grant', 'invalid authorization code'),
        badRedirectUri: () => tokenError('invalid_grant', 'redirect_uri must match configuration'),
        badCodeVerifier: (req) => (formFields(req).code_verifier
          ? tokenError('invalid_request', 'invalid code verifier')
          : tokenError('invalid_grant', 'invalid code verifier')),
      },
    },
    tokenResponse: (issued, _req, ctx) => ({
      status: 200,
      body: {
        access_token: issued.accessToken,
        ...(issued.grant === 'authorization_code' && /\b(refresh_token|offline_access)\b/.test(issued.scope ?? '') ? { refresh_token: issued.refreshToken } : {}),
        signature: Buffer.from(`${ctx.baseUrl}/id/${ORG_ID}/${USER_ID}${ctx.clock.nowMs()}`).toString('base64'),
        scope: issued.scope ?? 'api refresh_token',
        instance_url: ctx.baseUrl,
        id: `${ctx.baseUrl}/id/${ORG_ID}/${USER_ID}`,
        token_type: 'Bearer',
        issued_at: String(ctx.clock.nowMs()),
      },
    }),
    errors: {
      unsupportedGrantType: () => tokenError('unsupported_grant_type'),
      badClientId: () => tokenError('invalid_client_id'),
      badClientSecret: () => tokenError('invalid_client'),
      badRefreshToken: () => tokenError('invalid_grant'),
    },
  });
  return {
    system: 'salesforce',
    objects: sobjects.map((s) => s.name),
    spec: salesforceSpec,
    catalog: sobjects.map((s) => ({ name: s.name, fields: s.fields.map((f) => ({ name: f.name, ...(f.system ? { readOnly: true } : {}) })) })),
    auth: (clock) => {
      scheme = oauth(clock);
      return scheme;
    },
    routes: [
      ...collectionRoutes(changes),
      ...queryRoutes(),
      ...sobjectRoutes(),
      ...soapRoutes(() => {
        if (!scheme) throw new Error('the sandbox auth scheme is not built yet');
        return scheme;
      }, changes),
      ...streaming.routes(),
    ],
    errors: {
      unauthorized: (failure, req) => unauthorized(failure, req),
      rateLimited: () => rateLimited(),
      notFound: () => restError(404, 'NOT_FOUND', 'The requested resource does not exist'),
      malformedBody: () => restError(400, 'JSON_PARSER_ERROR', 'Unexpected character: was expecting a JSON value at [line:1, column:1]'),
      forStatus: (status) => errorForStatus(status),
    },
    rateLimit: {
      ...salesforceRateLimit,
      headers: (info) => ({ 'Sforce-Limit-Info': `api-usage=${info.limit - info.remaining}/${info.limit}` }),
    },
    newId: (object, sequence) => salesforceId(findSObject(object)?.keyPrefix ?? '000', sequence),
    presentRecord: (object, record) => {
      const spec = findSObject(object);
      return spec ? presentForAdmin(spec, record) : record;
    },
    seedRecord: salesforceSeedRecord,
    config: (baseUrl) => ({ loginUrl: baseUrl }),
  };
}

export function startSalesforceSandbox(options: SalesforceSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(salesforceSandbox(options), options);
}

import { identityPlatformError, json, oauth2RefreshToken, perDirectory, withPeopleTokens, startSandbox, type NewRecord, type Route, type RunningSandbox, type SandboxDefinition, type SandboxOptions } from '../kit';
import { teamsCatalog, teamsCatalogDifferences } from './catalog';
import { teamsSpec } from './spec';
import { errorForStatus, graphError, notFound, unauthorized } from './errors';
import { MessageState, messageRoutes, presentMessage, SANDBOX_USER, type ThrottleOptions } from './messages';

/**
 * The Microsoft Teams sandbox: Microsoft Graph v1.0 channel messages and the Microsoft identity
 * platform's token endpoint (refresh-token grant, delegated permissions). README.md lists the pages.
 */
export interface TeamsSandboxOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  accessTokenTtlSeconds?: number;
  /** Per-channel throttling (429 TooManyRequests + Retry-After); off unless given. */
  throttle?: Partial<ThrottleOptions> | boolean;
  /**
   * People posting from the Teams client: bearer tokens -> user id. Their messages carry `from.user`
   * alone; the connector's (an app's delegated token) carry `from.application` with its client id too.
   */
  people?: Record<string, string>;
  /** Store HTML bodies as a sanitising Teams would (sanitize.ts): unknown elements and attributes, the marker span among them, are dropped. */
  sanitizeHtml?: boolean;
}

/**
 * Graph's documented limits for channel messages (https://learn.microsoft.com/graph/throttling-limits,
 * "Microsoft Teams service limits", ms.date 2025-01-14): 4 requests per second per app on a team or
 * channel, 3,000 messages per app per day per channel, and POST channel message 2 rps per app per tenant.
 */
export const teamsThrottle: ThrottleOptions = { limit: 4, windowMs: 1000, messagesPerDay: 3000, tenantPosts: { limit: 2, windowMs: 1000 } };
export const SANDBOX_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SCOPES = 'offline_access ChannelMessage.Send ChannelMessage.ReadWrite ChannelMessage.Read.All';

export function teamsSandbox(options: TeamsSandboxOptions = {}): SandboxDefinition {
  const tenantId = options.tenantId ?? SANDBOX_TENANT_ID;
  const throttle = options.throttle === true ? teamsThrottle : options.throttle ? { ...teamsThrottle, ...options.throttle } : undefined;
  const state = new MessageState({ throttle, sanitizeHtml: options.sanitizeHtml });
  const auth = oauth2RefreshToken({
    tokenPath: '/:tenant/oauth2/v2.0/token',
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    refreshToken: options.refreshToken,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3599,
    tokenPrefix: 'sbx-graph-',
    // Delegated consent, Microsoft identity platform v2.0: /{tenant}/oauth2/v2.0/authorize with PKCE.
    authorizationCode: {
      authorizePath: '/:tenant/oauth2/v2.0/authorize',
      providerName: 'Microsoft',
      pkce: true,
      errors: {
        badCode: (_req, ctx) => identityPlatformError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.', ctx.correlationId),
        badRedirectUri: (_req, ctx) => identityPlatformError(400, 'invalid_grant', 500112,
          'The reply address does not match the reply address provided when requesting Authorization code.', ctx.correlationId),
        badCodeVerifier: (_req, ctx) => identityPlatformError(400, 'invalid_grant', 501481,
          'The Code_Verifier does not match the code_challenge supplied in the authorization request.', ctx.correlationId),
      },
    },
    credentialsShape: (c) => ({ ...c, tenantId }),
    tokenResponse: (issued, req) => ({
      status: 200,
      body: {
        token_type: 'Bearer', scope: typeof (req.body as Record<string, unknown>)?.scope === 'string' ? (req.body as Record<string, string>).scope : SCOPES,
        expires_in: issued.expiresIn, ext_expires_in: issued.expiresIn, access_token: issued.accessToken, refresh_token: issued.refreshToken,
      },
    }),
    errors: {
      unsupportedGrantType: (_req, ctx) => identityPlatformError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.', ctx.correlationId),
      badClientId: (_req, ctx) => identityPlatformError(400, 'unauthorized_client', 700016, 'Application was not found in the directory.', ctx.correlationId),
      badClientSecret: (_req, ctx) => identityPlatformError(401, 'invalid_client', 7000215, 'Invalid client secret provided.', ctx.correlationId),
      badRefreshToken: (_req, ctx) => identityPlatformError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.', ctx.correlationId),
    },
  });

  const me: Route = { method: 'GET', path: '/v1.0/me', handle: () => json(200, { id: SANDBOX_USER.id, displayName: SANDBOX_USER.displayName, userPrincipalName: 'forge@sandbox.onmicrosoft.com' }) };
  const channel: Route = {
    method: 'GET', path: '/v1.0/teams/:team/channels/:channel',
    handle: (req, ctx) => {
      const found = ctx.records.read('channels', req.params.channel);
      if (!found || found.fields.teamId !== req.params.team) return notFound(ctx.correlationId, `Channel ${req.params.channel} not found`);
      return json(200, { id: found.id, displayName: found.fields.displayName ?? found.id, membershipType: 'standard', createdDateTime: found.createdAt });
    },
  };

  return {
    system: 'teams',
    objects: ['teams', 'channels', 'messages'],
    catalog: teamsCatalog,
    catalogDifferences: teamsCatalogDifferences,
    spec: teamsSpec,
    // The token endpoint is per directory: /{tenant}/oauth2/v2.0/token answers only for this tenant.
    auth: withPeopleTokens(perDirectory(auth, { tenantId, alsoAnswers: ['organizations'] }), options.people ?? {}),
    routes: [me, channel, ...messageRoutes(state)],
    errors: {
      unauthorized: (failure, _req, ctx) => unauthorized(failure, ctx.correlationId),
      rateLimited: (_info, _req, ctx) => graphError(429, 'TooManyRequests', 'Too many requests.', ctx.correlationId),
      notFound: (req, ctx) => graphError(400, 'BadRequest', `Resource not found for the segment '${req.path.split('/').pop() ?? ''}'.`, ctx.correlationId),
      malformedBody: (_req, ctx) => graphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', ctx.correlationId),
      forStatus: (status, _req, ctx) => errorForStatus(status, ctx.correlationId),
    },
    presentRecord: (object, record) => {
      if (object !== 'messages') return { id: record.id, ...record.fields };
      return presentMessage(record, '');
    },
    seedRecord: (object, input): NewRecord => {
      if (object === 'teams') return { id: String(input.id ?? crypto.randomUUID()), fields: { displayName: input.displayName ?? 'Team' } };
      if (object === 'channels') {
        if (typeof input.teamId !== 'string') throw new Error('a channel needs teamId');
        return { id: String(input.id ?? `19:${crypto.randomUUID().replace(/-/g, '')}@thread.tacv2`), fields: { teamId: input.teamId, displayName: input.displayName ?? 'General' } };
      }
      const body = (input.body ?? { contentType: input.contentType ?? 'text', content: input.content ?? '' }) as Record<string, unknown>;
      if (typeof input.teamId !== 'string' || typeof input.channelId !== 'string') throw new Error('a message needs teamId and channelId');
      return {
        id: typeof input.id === 'string' ? input.id : state.nextId(Date.now()),
        ...(typeof input.createdDateTime === 'string' ? { createdAt: input.createdDateTime } : {}),
        archived: typeof input.deletedDateTime === 'string',
        ...(typeof input.deletedDateTime === 'string' ? { archivedAt: input.deletedDateTime } : {}),
        fields: { teamId: input.teamId, channelId: input.channelId, replyToId: input.replyToId ?? null, body, lastEditedDateTime: null, _seq: state.nextSeq() },
      };
    },
    config: (baseUrl) => ({ graphBaseUrl: baseUrl, loginBaseUrl: baseUrl }),
  };
}

export function startTeamsSandbox(options: TeamsSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(teamsSandbox(options), options);
}

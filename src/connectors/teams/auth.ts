import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { readCredentials } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import { refreshTokenConnection } from '../../platform/auth';
import type { AuthorizationCodeSpec, AuthSpec, FieldError, OwnIdentity } from '../contract';
import { connectionRefreshTokenAuth, trimBase, type KitContextWithoutHttp } from '../kit';

export const SYSTEM = 'teams';

export const teamsConfigSchema = z.object({
  /** Microsoft Graph's host; the connector calls its v1.0 endpoints. */
  graphBaseUrl: egressUrl('https://graph.microsoft.com'),
  /** The Microsoft identity platform's host (token endpoint /{tenantId}/oauth2/v2.0/token). */
  loginBaseUrl: egressUrl('https://login.microsoftonline.com'),
  /**
   * The directory users sign in to when connecting by consent: `organizations` (any work account;
   * multi-tenant apps) or the directory's id (single-tenant apps). It becomes the credentials' tenantId.
   */
  consentTenant: z.string().regex(/^[A-Za-z0-9.-]+$/, 'a directory id, domain, or organizations').default('organizations'),
});
export type TeamsConfig = z.infer<typeof teamsConfigSchema>;

/**
 * Posting channel messages needs delegated permissions (application permissions are for imports
 * only), so the connection holds a user's refresh token: { clientId, clientSecret, refreshToken, tenantId }.
 */
export const teamsCredentialsSchema = z.looseObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  refreshToken: z.string().min(1),
  tenantId: z.string().min(1),
});

export const teamsAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: teamsCredentialsSchema };

/** Delegated scopes asked for on every refresh (v2.0 endpoint): send, edit/delete and read channel messages. */
export const GRAPH_SCOPES = 'offline_access https://graph.microsoft.com/ChannelMessage.Send https://graph.microsoft.com/ChannelMessage.ReadWrite https://graph.microsoft.com/ChannelMessage.Read.All';

/**
 * Connecting by consent (docs/connect/teams.md): the identity platform's v2.0 authorization code
 * flow with PKCE, delegated scopes (GRAPH_SCOPES, offline_access for the refresh token), at
 * {loginBaseUrl}/{consentTenant}/oauth2/v2.0/authorize and /token.
 */
export const teamsAuthorization: AuthorizationCodeSpec<TeamsConfig> = {
  authorizeUrl: (config) => `${trimBase(config.loginBaseUrl)}/${encodeURIComponent(config.consentTenant)}/oauth2/v2.0/authorize`,
  tokenUrl: (config) => `${trimBase(config.loginBaseUrl)}/${encodeURIComponent(config.consentTenant)}/oauth2/v2.0/token`,
  scopes: GRAPH_SCOPES.split(' '),
  pkce: true,
  connection: (granted) => {
    const { credentials, config } = refreshTokenConnection(SYSTEM, granted);
    return { credentials: { ...credentials, tenantId: granted.config.consentTenant }, config };
  },
};

/** Graph's `body.content` / `body.contentType` are the record's flat `content` / `contentType`. */
const recordFieldOf: Record<string, string> = { 'body.content': 'content', 'body.contenttype': 'contentType', body: 'content' };

/**
 * The refused property of a Graph 400 ({ error: { code, message } }): the first quoted dotted name
 * in the message ("Invalid value for property 'body.content': ..."), as the record's field.
 */
export function extractFields(body: unknown): FieldError[] {
  const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  if (!error) return [];
  const message = typeof error.message === 'string' ? error.message : String(error.code ?? 'invalid value');
  const property = /'([A-Za-z@][\w.@]*)'/.exec(message)?.[1];
  if (!property) return [{ field: '*', message }];
  return [{ field: recordFieldOf[property.toLowerCase()] ?? property, message }];
}

/** Graph's error code ({ error: { code } }: ErrorInvalidRequest, itemNotFound...), for the HTTP client's extractCode. */
export function extractCode(body: unknown): string | undefined {
  const code = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown } }).error?.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export function teamsHttp(ctx: KitContextWithoutHttp<TeamsConfig>): HttpClient {
  const { graphBaseUrl, loginBaseUrl } = ctx.config;
  const auth = connectionRefreshTokenAuth(ctx, {
    system: SYSTEM,
    tokenUrl: (credentials) => `${trimBase(loginBaseUrl)}/${encodeURIComponent(String(credentials.tenantId ?? 'organizations'))}/oauth2/v2.0/token`,
    extraParams: { scope: GRAPH_SCOPES },
  });
  return createHttpClient({ system: SYSTEM, baseUrl: `${trimBase(graphBaseUrl)}/v1.0`, auth, extractFields, extractCode });
}

/**
 * The connection's own posts: Graph records the application that sent a message in
 * from.application.id (chatMessageFromIdentitySet), the app registration whose client id the
 * connection's tokens are issued to.
 */
export async function teamsOwnIdentity(ctx: KitContextWithoutHttp<TeamsConfig>): Promise<OwnIdentity> {
  const { parsed } = await readCredentials(SYSTEM, ctx.credentials, teamsCredentialsSchema);
  return { fromApplicationId: [String(parsed.clientId)] };
}

import { z } from 'zod';
import { egressUrl, egressUrlProblem } from '../../platform/network';
import { ConnectorError } from '../../platform/errors';
import { oauth2RefreshTokenCredentialsSchema, refreshTokenConnection, type OAuth2RefreshTokenPlugin } from '../../platform/auth';
import { createHttpClient, type AuthPlugin, type HttpClient } from '../../platform/http';
import type { AuthorizationCodeSpec, AuthSpec } from '../contract';
import { connectionRefreshTokenAuth, trimBase, type KitContextWithoutHttp } from '../kit';
import { classifyResponse, extractCode, extractFields, SYSTEM } from './errors';

export const salesforceConfigSchema = z.object({
  /** Where the OAuth token endpoint lives: login.salesforce.com, test.salesforce.com or a My Domain. */
  loginUrl: egressUrl('https://login.salesforce.com'),
  /** The REST API version, pinned. */
  apiVersion: z.string().regex(/^\d+\.0$/).default('62.0'),
  /**
   * Capture from Change Data Capture events (the org must select each captured object in Setup >
   * Change Data Capture) instead of polling SystemModstamp: lag of about a second instead of the
   * poll's settle margin. Off by default.
   */
  changeDataCapture: z.boolean().default(false),
});
export type SalesforceConfig = z.infer<typeof salesforceConfigSchema>;

/** OAuth 2.0 refresh-token grant: { clientId, clientSecret, refreshToken } (a connected app's). */
export const salesforceAuth: AuthSpec = { scheme: 'oauth2-refresh-token', credentials: oauth2RefreshTokenCredentialsSchema };

/**
 * Connecting by consent, the web server flow with PKCE (docs/connect/salesforce.md):
 * {loginUrl}/services/oauth2/authorize and /token. `api` for REST and SOAP, `refresh_token` for
 * the refresh token the connection lives on. The answer names the org's instance_url, which must
 * be reachable under the egress rules; each refresh names it again, so it is not kept.
 */
export const salesforceAuthorization: AuthorizationCodeSpec<SalesforceConfig> = {
  authorizeUrl: (config) => `${trimBase(config.loginUrl)}/services/oauth2/authorize`,
  tokenUrl: (config) => `${trimBase(config.loginUrl)}/services/oauth2/token`,
  scopes: ['api', 'refresh_token'],
  pkce: true,
  connection: (granted) => {
    const instanceUrl = typeof granted.body.instance_url === 'string' ? granted.body.instance_url : '';
    const problem = egressUrlProblem(instanceUrl, { base: true });
    if (problem) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `salesforce answered an instance_url that ${problem}` });
    return refreshTokenConnection(SYSTEM, granted);
  },
};

/** Marks where a SOAP request's SessionHeader takes the access token (see withSoapSession). */
export const SOAP_SESSION_PLACEHOLDER = '{{salesforce-session-id}}';

/**
 * The connection's HTTP client: tokens from {loginUrl}/services/oauth2/token, requests sent to the
 * instance_url that token response names (the org's own host).
 */
export function salesforceHttp(ctx: KitContextWithoutHttp<SalesforceConfig>): HttpClient {
  const { loginUrl } = ctx.config;
  const auth = connectionRefreshTokenAuth(ctx, {
    system: SYSTEM,
    tokenUrl: `${trimBase(loginUrl)}/services/oauth2/token`,
  });
  return createHttpClient({ system: SYSTEM, baseUrl: () => auth.instanceUrl(), auth: withSoapSession(auth), extractFields, extractCode, classify: classifyResponse });
}

/**
 * The SOAP API (used for undelete(), which REST lacks) takes the access token in the envelope's
 * SessionHeader, not in a header: the token goes where the body holds SOAP_SESSION_PLACEHOLDER.
 */
function withSoapSession(bearer: OAuth2RefreshTokenPlugin): AuthPlugin {
  return {
    async apply(req) {
      await bearer.apply(req);
      if (req.url.pathname.startsWith('/services/Soap/') && req.body?.includes(SOAP_SESSION_PLACEHOLDER)) {
        const { accessToken } = await bearer.token();
        req.body = req.body.replace(SOAP_SESSION_PLACEHOLDER, escapeXml(accessToken));
      }
    },
    onUnauthorized: (rejected) => bearer.onUnauthorized?.(rejected) ?? Promise.resolve(false),
  };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

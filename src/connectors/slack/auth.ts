import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { readCredentials } from '../../platform/auth';
import { createHttpClient, type AuthPlugin, type HttpClient } from '../../platform/http';
import type { AuthorizationCodeSpec, AuthSpec, ConnectorContext } from '../contract';
import { trimBase, type KitContextWithoutHttp } from '../kit';
import { ConnectorError } from '../../platform/errors';
import { classifySlack, SYSTEM } from './errors';
import { APP_DISTRIBUTIONS } from './rate-limits';

export const slackConfigSchema = z.object({
  /** The Web API root, methods are `<baseUrl>/<method>`. */
  baseUrl: egressUrl('https://slack.com/api'),
  /** How far back each capture poll re-reads history to see edits and deletes (minutes). */
  rescanMinutes: z.number().int().positive().max(7 * 24 * 60).default(15),
  /**
   * How the Slack app is distributed, which sets history/replies' limits (rate-limits.ts):
   * 'non-marketplace-2025' paces them to 1 request per minute and reads pages of at most 15.
   */
  appDistribution: z.enum(APP_DISTRIBUTIONS).default('marketplace'),
  /** Slack's consent page (connecting by consent only). */
  authorizeUrl: z.url({ protocol: /^https?$/ }).default('https://slack.com/oauth/v2/authorize'),
});
export type SlackConfig = z.infer<typeof slackConfigSchema>;

/**
 * Installing the app by consent (docs/connect/slack.md), OAuth v2: bot scopes comma-separated, no
 * PKCE; {baseUrl}/oauth.v2.access answers the installation's bot token (refusals are HTTP 200
 * ok:false). Scopes: read public and private channels' messages (capture, lookups), post, edit
 * and delete the bot's own messages.
 */
export const slackAuthorization: AuthorizationCodeSpec<SlackConfig> = {
  authorizeUrl: (config) => config.authorizeUrl,
  tokenUrl: (config) => `${trimBase(config.baseUrl)}/oauth.v2.access`,
  scopes: ['channels:history', 'groups:history', 'chat:write'],
  scopeSeparator: ',',
  pkce: false,
  connection: (granted) => {
    const { access_token: botToken, token_type: tokenType } = granted.body;
    if (typeof botToken !== 'string' || tokenType !== 'bot') {
      throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: 'slack answered no bot token (the app must ask for bot scopes, not only user scopes)' });
    }
    return { credentials: { botToken }, config: granted.config };
  },
};

/** An OAuth 2.0 bot token from the app's installation (xoxb-...): long-lived, so used as a static bearer token (scheme api-key). */
export const slackCredentialsSchema = z.looseObject({ botToken: z.string().min(1) });
export const slackAuth: AuthSpec = { scheme: 'api-key', credentials: slackCredentialsSchema };

function botTokenAuth(credentials: ConnectorContext['credentials']): AuthPlugin {
  return {
    async apply(req) {
      const { parsed } = await readCredentials(SYSTEM, credentials, slackCredentialsSchema);
      req.headers.authorization = `Bearer ${parsed.botToken}`;
    },
  };
}

/** The connection's HTTP client: bot token read from the store per request; ok:false answers classified. */
export function slackHttp(ctx: KitContextWithoutHttp<SlackConfig>): HttpClient {
  const { baseUrl } = ctx.config;
  return createHttpClient({ system: SYSTEM, baseUrl, auth: botTokenAuth(ctx.credentials), classify: classifySlack });
}

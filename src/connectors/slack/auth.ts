import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { readCredentials } from '../../platform/auth';
import { createHttpClient, type AuthPlugin, type HttpClient } from '../../platform/http';
import type { AuthSpec, ConnectorContext } from '../contract';
import type { KitContextWithoutHttp } from '../kit';
import { classifySlack, SYSTEM } from './errors';

export const slackConfigSchema = z.object({
  /** The Web API root, methods are `<baseUrl>/<method>`. */
  baseUrl: egressUrl('https://slack.com/api'),
  /** How far back each capture poll re-reads history to see edits and deletes (minutes). */
  rescanMinutes: z.number().int().positive().max(7 * 24 * 60).default(15),
});
export type SlackConfig = z.infer<typeof slackConfigSchema>;

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

import { defineConnector } from '../kit';
import type { HttpClient } from '../../platform/http';
import { slackAuth, slackAuthorization, slackConfigSchema, slackHttp, type SlackConfig } from './auth';
import { slackDestination } from './destination';
import { cachedOwnIdentity } from './identity';
import { messagesObject } from './objects';
import { pageLimitFor, slackRateLimits } from './rate-limits';
import { SlackApi } from './slack-api';
import { slackSource } from './source';

/**
 * Slack (event hub): the messages of a channel, object `messages:<channelId>`; bot token; posts
 * one message per request; capture by polling conversations.history / conversations.replies.
 * See objects.ts (records, forge_origin marker) and source.ts (how edits and deletes are detected).
 */
export const slackConnector = defineConnector({
  id: 'slack',
  displayName: 'Slack',
  apiVersion: 'Slack Web API (methods are unversioned; as documented in 2025)',
  auth: slackAuth,
  authorization: slackAuthorization,
  config: slackConfigSchema,
  objects: [],
  customObject: messagesObject,
  http: slackHttp,
  rateLimitsFor: (config) => slackRateLimits(config.appDistribution),
  destination: (ctx) => slackDestination(slackApiOf(ctx)),
  source: (ctx) => slackSource(slackApiOf(ctx), { rescanMinutes: ctx.config.rescanMinutes }),
  check: async (ctx) => { await slackApiOf(ctx).authTest(); },
  ownIdentity: (ctx) => cachedOwnIdentity(ctx, slackApiOf(ctx)),
});

/** The Web API as the connection's app may call it (pages of history and replies sized by its distribution). */
function slackApiOf(ctx: { http: HttpClient; config: SlackConfig }): SlackApi {
  return new SlackApi(ctx.http, pageLimitFor(ctx.config.appDistribution));
}

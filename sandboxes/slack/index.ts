import { randomBytes } from 'node:crypto';
import { bearerToken, startSandbox, withPeopleTokens, type AuthScheme, type SandboxClock, type RunningSandbox, type SandboxDefinition, type SandboxOptions, type StoredRecord } from '../kit';
import { slackCatalog, slackCatalogDifferences } from './catalog';
import { slackSpec } from './spec';
import { slackRoutes, type PostLimit, type SlackApiState } from './api';
import { forStatus, rateLimited, slackError, unauthorized } from './errors';
import { installRoutes } from './install';
import { MethodLimits, pageSizeFor, type AppDistribution } from './tiers';
import { CHANNELS, MESSAGES, TsSource, fieldsOf, isTs, messageId, presentMessage, type MessageFields } from './messages';

/**
 * The Slack sandbox: the Web API methods a bot uses to post and read channel messages
 * (chat.postMessage, chat.update, chat.delete, conversations.history, conversations.replies,
 * auth.test) under /api/<method>, with a bot token (Authorization: Bearer xoxb-...), ok:false error
 * bodies, ts ids from the sandbox clock, threads, edits and message metadata. README.md names the
 * documentation pages followed.
 * Vendor documentation followed: https://docs.slack.dev/reference/methods/chat.postMessage (and the pages README.md lists).
 */
export interface SlackSandboxOptions {
  /** Enforce chat.postMessage's per-channel limit (about 1 per second): 429 ratelimited + Retry-After. */
  postMessageLimit?: boolean | PostLimit;
  botToken?: string;
  /** The app installed by consent (/oauth/v2/authorize): its client id and secret (random when absent). */
  appClientId?: string;
  appClientSecret?: string;
  /**
   * People of the workspace: user tokens (xoxp-...) -> user id. A message posted with one is that
   * user's (`user` set, no `bot_id`/`app_id`), as Slack records a post made with a user token.
   */
  people?: Record<string, string>;
  /**
   * How the app is distributed (tiers.ts): 'non-marketplace-2025' gives conversations.history and
   * conversations.replies 1 request per minute and at most 15 messages a page. Default 'marketplace'.
   */
  appDistribution?: AppDistribution;
  /** Enforce every method's tier (Tier 3: 50 per minute...) with 429 ratelimited + Retry-After. Default false. */
  methodTiers?: boolean;
}

/** "chat.postMessage ... generally allows an app to post 1 message per second to a specific channel". */
export const POST_MESSAGE_LIMIT: PostLimit = { limit: 1, windowMs: 1000 };

/**
 * A bot token. Bot tokens do not expire unless token rotation is on; the expire-token fault plays
 * rotation: the current token answers token_expired from then on, and /__sandbox/credentials hands
 * out the next one.
 */
function botTokenAuth(initial: string | undefined, app: { clientId: string; clientSecret: string }): (clock: SandboxClock) => AuthScheme {
  return (clock) => {
    let current = initial ?? newToken();
    const expired = new Set<string>();
    return {
      name: 'oauth2-bot-token',
      routes: installRoutes(app, clock, () => current),
      authenticate: (req) => {
        const given = bearerToken(req);
        if (!given) return { ok: false, failure: 'missing' };
        if (expired.has(given)) return { ok: false, failure: 'expired' };
        return given === current ? { ok: true, principal: { scheme: 'oauth2-bot-token', subject: 'U0SBXBOT01' } } : { ok: false, failure: 'invalid' };
      },
      credentials: () => ({ botToken: current }),
      expireAccessTokens: () => {
        expired.add(current);
        current = newToken();
      },
    };
  };
}

function newToken(): string {
  return `xoxb-1000000001-2000000002-${randomBytes(12).toString('hex')}`;
}

export function slackSandbox(options: SlackSandboxOptions = {}): SandboxDefinition {
  const limit = options.postMessageLimit === true ? POST_MESSAGE_LIMIT : options.postMessageLimit || undefined;
  const distribution = options.appDistribution ?? 'marketplace';
  const state: SlackApiState = {
    ts: new TsSource(), postLimit: limit, postStamps: new Map(),
    methodLimits: new MethodLimits(distribution, options.methodTiers ?? false), pageSize: pageSizeFor(distribution),
  };
  return {
    system: 'slack',
    objects: [CHANNELS, MESSAGES],
    catalog: slackCatalog,
    catalogDifferences: slackCatalogDifferences,
    spec: slackSpec,
    auth: withPeopleTokens(botTokenAuth(options.botToken, {
      clientId: options.appClientId ?? `1000000001.${randomBytes(6).toString('hex')}`, clientSecret: options.appClientSecret ?? randomBytes(16).toString('hex'),
    }), options.people ?? {}),
    routes: slackRoutes(state),
    errors: {
      unauthorized: (failure) => unauthorized(failure),
      rateLimited: () => rateLimited(),
      notFound: () => slackError('unknown_method'),
      malformedBody: () => slackError('invalid_json'),
      forStatus: (status) => forStatus(status),
      statusFromForStatus: true,
    },
    // Web API tier 3 (conversations.history/replies: 50+ per minute); enforced with --rate-limit.
    rateLimit: { limit: 50, windowMs: 60_000 },
    presentRecord: (object, record: StoredRecord) => {
      if (object === MESSAGES) {
        const m = fieldsOf(record);
        return { ...presentMessage(m, [], true), channel: m.channel };
      }
      return { id: record.id, ...record.fields };
    },
    /**
     * channels: { id: 'C0123', name }. messages: { channel, text, ts?, thread_ts?, user?, bot_id?,
     * metadata? } (ts from the clock when absent; user U0SEEDUSER when neither user nor bot_id).
     */
    seedRecord: (object, input) => {
      if (object === CHANNELS) {
        const { id, ...fields } = input;
        if (typeof id !== 'string' || !/^[CGD][A-Z0-9]+$/.test(id)) throw new Error('a channel needs an id like C0123ABCD');
        return { id, fields };
      }
      const { channel, ts, ...rest } = input;
      if (typeof channel !== 'string') throw new Error('a message needs its channel');
      const messageTs = typeof ts === 'string' && isTs(ts) ? ts : state.ts.next(Date.now());
      state.ts.saw(messageTs);
      const fields: MessageFields = {
        text: '', ...(rest.user === undefined && rest.bot_id === undefined ? { user: 'U0SEEDUSER' } : {}),
        ...(rest as Partial<MessageFields>), channel, ts: messageTs,
      };
      return { id: messageId(channel, messageTs), fields: fields as unknown as Record<string, unknown> };
    },
    config: (baseUrl) => ({ baseUrl: `${baseUrl}/api`, authorizeUrl: `${baseUrl}/oauth/v2/authorize` }),
  };
}

export function startSlackSandbox(options: SlackSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(slackSandbox(options), options);
}

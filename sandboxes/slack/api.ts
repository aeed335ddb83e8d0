import { PERSON_SCHEME, type HandlerContext, type Reply, type Route, type SandboxRequest } from '../kit';
import { fail, invalidArgument, missingArgument, rateLimited } from './errors';
import type { MethodLimits, PageSize } from './tiers';
import {
  APP_ID, BOT_ID, BOT_USER, CHANNELS, MESSAGES, fieldsOf, isTs, messageId, presentMessage, tsMicros, type MessageFields, type TsSource,
} from './messages';

/** Slack's documented maximum for `text` (docs.slack.dev/reference/methods/chat.postMessage: truncated at 40,000; longer is msg_too_long). */
export const MAX_TEXT_LENGTH = 40_000;

export interface PostLimit {
  limit: number;
  windowMs: number;
}

export interface SlackApiState {
  ts: TsSource;
  /** chat.postMessage per channel (about 1 per second), enforced when set. */
  postLimit?: PostLimit;
  postStamps: Map<string, number[]>;
  /** Per-method tiers (tiers.ts). */
  methodLimits: MethodLimits;
  /** history/replies page sizes, by how the app is distributed. */
  pageSize: PageSize;
}

type Args = Record<string, unknown>;

/** Arguments from the query string and the body (form-encoded or JSON), as Slack accepts both. */
function argsOf(req: SandboxRequest): Args {
  const args: Args = Object.fromEntries(req.query);
  if (req.body && typeof req.body === 'object' && !Array.isArray(req.body)) Object.assign(args, req.body as Args);
  return args;
}

function str(args: Args, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function required(args: Args, name: string): string {
  const value = str(args, name);
  if (value === undefined || value === '') missingArgument(name);
  return value;
}

function flag(args: Args, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

function channelOf(args: Args, ctx: HandlerContext): string {
  const channel = required(args, 'channel');
  const found = ctx.records.latest(CHANNELS, channel);
  if (!found || found.archived) fail('channel_not_found');
  return channel;
}

function metadataOf(args: Args): MessageFields['metadata'] | undefined {
  const raw = args.metadata;
  if (raw === undefined || raw === '' || raw === null) return undefined;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      fail('invalid_metadata_format');
    }
  }
  const m = value as { event_type?: unknown; event_payload?: unknown };
  if (!m || typeof m !== 'object' || typeof m.event_type !== 'string' || !m.event_payload || typeof m.event_payload !== 'object') {
    fail('invalid_metadata_format');
  }
  if (JSON.stringify(m).length > 8000) fail('metadata_too_large');
  return { event_type: m.event_type, event_payload: m.event_payload as Record<string, unknown> };
}

function checkText(args: Args, allowMissing = false): string | undefined {
  const text = str(args, 'text');
  const hasBlocks = args.blocks !== undefined && args.blocks !== '';
  if ((text === undefined || text === '') && !hasBlocks) {
    if (allowMissing) return undefined;
    fail('no_text');
  }
  if (text !== undefined && text.length > MAX_TEXT_LENGTH) fail('msg_too_long');
  return text ?? '';
}

/** All messages of a channel, oldest first, as read endpoints see them (stale-read honoured). */
function channelMessages(ctx: HandlerContext, channel: string, latest = false): MessageFields[] {
  const records = latest ? ctx.records.latestAll(MESSAGES) : ctx.records.list(MESSAGES);
  return records.filter((r) => !r.archived && fieldsOf(r).channel === channel).map(fieldsOf).sort((a, b) => tsMicros(a.ts) - tsMicros(b.ts));
}

function repliesOf(all: MessageFields[], parentTs: string): MessageFields[] {
  return all.filter((m) => m.thread_ts === parentTs && m.ts !== parentTs);
}

/** A message as kept, tombstones included. */
function storedMessage(ctx: HandlerContext, channel: string, ts: string): MessageFields | undefined {
  const record = ctx.records.latest(MESSAGES, messageId(channel, ts));
  return record && !record.archived ? fieldsOf(record) : undefined;
}

/** A live message (a tombstone is a message already deleted). */
function findMessage(ctx: HandlerContext, channel: string, ts: string): MessageFields | undefined {
  const found = storedMessage(ctx, channel, ts);
  return found && !found.tombstone ? found : undefined;
}

/**
 * chat.delete as Slack does it: a thread parent that still has replies stays as a tombstone ("This
 * message was deleted.", replies kept); a tombstone whose last reply goes is removed with it.
 */
function deleteMessage(ctx: HandlerContext, message: MessageFields): void {
  const { channel, ts } = message;
  const replies = repliesOf(channelMessages(ctx, channel, true), ts);
  if (replies.length > 0) {
    if (ctx.consistency.deleteLies()) return;
    // The starter's user stays (replies name it as parent_user_id); what was said and by which app goes.
    ctx.records.update(MESSAGES, messageId(channel, ts), { text: '', tombstone: true, bot_id: undefined, app_id: undefined, metadata: undefined, edited: undefined });
    return;
  }
  ctx.records.remove(MESSAGES, messageId(channel, ts));
  const parent = message.thread_ts && message.thread_ts !== ts ? storedMessage(ctx, channel, message.thread_ts) : undefined;
  if (parent?.tombstone && repliesOf(channelMessages(ctx, channel, true), parent.ts).length === 0) ctx.records.remove(MESSAGES, messageId(channel, parent.ts));
}

function tsArg(args: Args, name: string, error: string): number | undefined {
  const value = str(args, name);
  if (value === undefined || value === '') return undefined;
  if (!isTs(value)) fail(error);
  return tsMicros(value);
}

function inRange(ts: string, oldest: number | undefined, latest: number | undefined, inclusive: boolean): boolean {
  const t = tsMicros(ts);
  if (oldest !== undefined && (inclusive ? t < oldest : t <= oldest)) return false;
  if (latest !== undefined && (inclusive ? t > latest : t >= latest)) return false;
  return true;
}

function limitOf(args: Args, size: PageSize): number {
  const raw = str(args, 'limit');
  if (raw === undefined || raw === '') return size.defaultLimit;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) invalidArgument('limit', 'must be a positive integer');
  return Math.min(n, size.maxLimit);
}

type Order = 'newest-first' | 'oldest-first';

/**
 * Cursors keyed by message ts, as Slack's are: base64 of `next_ts:<ts of the page's first
 * message>` (Slack's own decode to `next_ts:1512085861000543`). A page starts at that ts, not at an
 * offset, so messages posted or deleted between pages neither shift a message out of the walk nor
 * show one twice. Anything else answers invalid_cursor.
 */
function cursorTs(args: Args): number | undefined {
  const cursor = str(args, 'cursor');
  if (!cursor) return undefined;
  const match = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) fail('invalid_cursor');
  return Number(match[1]);
}

function page(messages: MessageFields[], order: Order, args: Args, size: PageSize): { items: MessageFields[]; next?: string } {
  const from = cursorTs(args);
  const startsAt = (m: MessageFields) => from === undefined || (order === 'newest-first' ? tsMicros(m.ts) <= from : tsMicros(m.ts) >= from);
  const remaining = messages.filter(startsAt);
  const limit = limitOf(args, size);
  const following = remaining[limit];
  return { items: remaining.slice(0, limit), ...(following ? { next: Buffer.from(`next_ts:${tsMicros(following.ts)}`).toString('base64') } : {}) };
}

function takePostSlot(state: SlackApiState, channel: string): boolean {
  if (!state.postLimit) return true;
  const now = performance.now();
  const stamps = (state.postStamps.get(channel) ?? []).filter((t) => t > now - state.postLimit!.windowMs);
  state.postStamps.set(channel, stamps);
  if (stamps.length >= state.postLimit.limit) return false;
  stamps.push(now);
  return true;
}

/** The person a user token acts for, or undefined for the app's bot token. */
function personOf(ctx: HandlerContext): string | undefined {
  return ctx.principal?.scheme === PERSON_SCHEME ? ctx.principal.subject : undefined;
}

/**
 * Who posts: a bot token posts as the app's bot user, with bot_id and app_id (what
 * docs.slack.dev/reference/methods/chat.postMessage answers for a bot); a user token as that user alone.
 */
function authorOf(ctx: HandlerContext): Pick<MessageFields, 'user' | 'bot_id' | 'app_id'> {
  const person = personOf(ctx);
  return person ? { user: person } : { user: BOT_USER, bot_id: BOT_ID, app_id: APP_ID };
}

/** Whether the caller wrote the message (only its author may edit or delete it). */
function isAuthor(ctx: HandlerContext, m: MessageFields): boolean {
  const person = personOf(ctx);
  return person ? m.user === person && !m.bot_id : m.bot_id === BOT_ID;
}

function ok(body: Record<string, unknown>): Reply {
  return { status: 200, body: { ok: true, ...body } };
}

export function slackRoutes(state: SlackApiState): Route[] {
  const methods: Record<string, (args: Args, ctx: HandlerContext) => Reply> = {
    // A bot token answers the bot user and bot_id (how a bridge knows its own posts); a user token, the user.
    'auth.test': (_args, ctx) => {
      const person = personOf(ctx);
      return ok({ url: 'https://sandbox.slack.com/', team: 'Sandbox', user: person ?? 'forgeworks', team_id: 'T0SBXTEAM1', user_id: person ?? BOT_USER, ...(person ? {} : { bot_id: BOT_ID }) });
    },

    'chat.postMessage': (args, ctx) => {
      const channel = channelOf(args, ctx);
      const text = checkText(args)!;
      const metadata = metadataOf(args);
      const threadTs = str(args, 'thread_ts') || undefined;
      if (threadTs !== undefined) {
        // A malformed thread_ts is refused as Slack words it; one naming no message is accepted and the
        // reply joins a thread nobody can see (slackapi/python-slack-sdk#840); see README.
        if (!isTs(threadTs)) fail('invalid_thread_ts', { response_metadata: { messages: [`[ERROR] ${threadTs} is not a valid thread_ts`] } });
        const parent = storedMessage(ctx, channel, threadTs);
        if (parent?.thread_ts && parent.thread_ts !== parent.ts) fail('invalid_thread_ts');
      }
      if (!takePostSlot(state, channel)) {
        const retry = Math.max(1, Math.ceil(state.postLimit!.windowMs / 1000));
        return { ...rateLimited(), headers: { 'retry-after': String(retry) } };
      }
      const ts = state.ts.next(ctx.clock.nowMs());
      const fields: MessageFields = {
        channel, ts, text, ...authorOf(ctx),
        ...(threadTs ? { thread_ts: threadTs } : {}), ...(metadata ? { metadata } : {}),
      };
      ctx.records.insert(MESSAGES, { id: messageId(channel, ts), fields: fields as unknown as Record<string, unknown> });
      return ok({ channel, ts, message: presentMessage(fields, [], true) });
    },

    'chat.update': (args, ctx) => {
      const channel = channelOf(args, ctx);
      const ts = required(args, 'ts');
      const current = findMessage(ctx, channel, ts);
      if (!current) fail('message_not_found');
      if (!isAuthor(ctx, current)) fail('cant_update_message');
      const text = checkText(args);
      const metadata = metadataOf(args);
      const edited = { user: personOf(ctx) ?? BOT_USER, ts: state.ts.next(ctx.clock.nowMs()) };
      const patch: Record<string, unknown> = { text, edited, ...(metadata ? { metadata } : {}) };
      const updated = fieldsOf(ctx.records.update(MESSAGES, messageId(channel, ts), patch)!);
      return ok({ channel, ts, text: updated.text, message: presentMessage(updated, [], true) });
    },

    'chat.delete': (args, ctx) => {
      const channel = channelOf(args, ctx);
      const ts = required(args, 'ts');
      const current = findMessage(ctx, channel, ts);
      if (!current) fail('message_not_found');
      if (!isAuthor(ctx, current)) fail('cant_delete_message');
      deleteMessage(ctx, current);
      return ok({ channel, ts });
    },

    'conversations.history': (args, ctx) => {
      const channel = channelOf(args, ctx);
      const oldest = tsArg(args, 'oldest', 'invalid_ts_oldest');
      const latest = tsArg(args, 'latest', 'invalid_ts_latest');
      const inclusive = flag(args, 'inclusive');
      const withMetadata = flag(args, 'include_all_metadata');
      const all = channelMessages(ctx, channel);
      const topLevel = all.filter((m) => !m.thread_ts || m.thread_ts === m.ts)
        .filter((m) => inRange(m.ts, oldest, latest, inclusive))
        .reverse(); // newest first
      const { items, next } = page(topLevel, 'newest-first', args, state.pageSize);
      return ok({
        messages: items.map((m) => presentMessage(m, repliesOf(all, m.ts), withMetadata)),
        has_more: next !== undefined,
        pin_count: 0,
        channel_actions_ts: null,
        channel_actions_count: 0,
        ...(next ? { response_metadata: { next_cursor: next } } : {}),
      });
    },

    'conversations.replies': (args, ctx) => {
      const channel = channelOf(args, ctx);
      const ts = required(args, 'ts');
      const all = channelMessages(ctx, channel);
      const asked = all.find((m) => m.ts === ts);
      if (!asked) fail('thread_not_found');
      const parentTs = asked.thread_ts ?? asked.ts;
      const parent = all.find((m) => m.ts === parentTs);
      if (!parent) fail('thread_not_found');
      const oldest = tsArg(args, 'oldest', 'invalid_ts_oldest');
      const latest = tsArg(args, 'latest', 'invalid_ts_latest');
      const inclusive = flag(args, 'inclusive');
      const withMetadata = flag(args, 'include_all_metadata');
      const replies = repliesOf(all, parentTs);
      // The parent always comes first; replies oldest first, within oldest/latest.
      const thread = [parent, ...replies.filter((m) => inRange(m.ts, oldest, latest, inclusive))];
      const { items, next } = page(thread, 'oldest-first', args, state.pageSize);
      return ok({
        messages: items.map((m) => presentMessage(m, m.ts === parentTs ? replies : [], withMetadata, parent.user)),
        has_more: next !== undefined,
        ...(next ? { response_metadata: { next_cursor: next } } : {}),
      });
    },
  };

  return Object.entries(methods).flatMap(([name, handle]) => (['GET', 'POST'] as const).map((method): Route => ({
    method,
    path: `/api/${name}`,
    handle: (req, ctx) => {
      if (method === 'GET' && name.startsWith('chat.')) fail('invalid_post_type'); // writes are POST only
      return state.methodLimits.refuse(name, ctx.clock) ?? handle(argsOf(req), ctx);
    },
  })));
}

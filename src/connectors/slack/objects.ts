import type { SlackApi } from './slack-api';
import type { FieldSpec, ObjectSpec, OwnIdentity } from '../contract';

/**
 * Slack objects: the messages of one channel, named at run time: `messages:<channelId>`
 * (`messages:C0123ABCD`). A record is { ts, text, thread_ts, forge_origin, user, bot_id, app_id, edited_ts,
 * reply_count }. `ts` is Slack's id of a message within its channel (chosen by Slack on post);
 * `forge_origin` is the platform's marker, carried as message metadata (event_type
 * 'forgeworks_copy', event_payload { origin }): the bridge writes where a copy came from, and loads
 * use it as the caller's own id of a message (a message cannot be created "by ts").
 */
export const TS_FIELD = 'ts';
export const ORIGIN_FIELD = 'forge_origin';
export const MARKER_EVENT_TYPE = 'forgeworks_copy';
/** Marks a message a rollback re-posted without an origin (Slack cannot undelete). */
export const RESTORE_EVENT_TYPE = 'forgeworks_restore';
/** Messages per write call: Slack posts one message per request, sent one at a time per channel (order matters in chat). */
export const CHUNK_SIZE = 20;

const OBJECT_NAME = /^messages:([CGD][A-Z0-9]{2,})$/;

const field = (name: string, type: FieldSpec['type'] = 'string', readOnly = false): FieldSpec => ({ name, type, ...(readOnly ? { readOnly } : {}) });
export const messageFields: FieldSpec[] = [
  field(TS_FIELD, 'string', true), field('text'), field('thread_ts'), field(ORIGIN_FIELD),
  field('user', 'string', true), field('bot_id', 'string', true), field('app_id', 'string', true), field('edited_ts', 'string', true), field('reply_count', 'number', true),
  field('forge_restored_from', 'string', true),
  // Files shared with the message, each { name, permalink } (the bridge shows them as links).
  field('files', 'json', true),
];

export function channelOf(object: string): string | undefined {
  return OBJECT_NAME.exec(object)?.[1];
}

export function messagesObject(name: string): ObjectSpec | undefined {
  if (!channelOf(name)) return undefined;
  return {
    name,
    naturalKeys: [TS_FIELD, ORIGIN_FIELD],
    fields: messageFields,
    operations: ['create', 'update', 'delete'],
    batchSize: CHUNK_SIZE,
    cursor: 'timestamp',
    notes: 'Messages of one channel: object messages:<channelId>. Slack chooses ts on post, so creates are keyed by forge_origin (kept as message '
      + 'metadata, found by reading the channel history and its threads) or, for a single post, by ts left empty. No upsert: Slack has no '
      + 'idempotent post. thread_ts is set on post only (a reply stays in its thread). Delete is chat.delete, confirmed by a read; a bot can '
      + 'delete and edit only its own messages (cant_update_message / cant_delete_message fail the record). Slack cannot undelete: a rollback '
      + 're-posts the message with a new ts, marked with forge_restored_from. Posts go one at a time per channel (~1 per second allowed).',
  };
}

/**
 * The bot's own posts: Slack records the posting bot on every message (`bot_id`, and `user` = the
 * bot user), and auth.test names both for the connection's bot token.
 */
export async function slackOwnIdentity(api: Pick<SlackApi, 'authTest'>): Promise<OwnIdentity> {
  const me = await api.authTest();
  return { bot_id: me.bot_id ? [me.bot_id] : [], user: me.bot_id && me.user_id ? [me.user_id] : [] };
}

import type { StoredRecord } from '../kit';

/**
 * Messages as the sandbox keeps them: one record per message, id `<channel>:<ts>`, fields
 * { channel, ts, text, thread_ts?, user?, bot_id?, app_id?, metadata?, edited? }. Thread facts
 * (reply_count, latest_reply, reply_users) are computed when a message is shown, as Slack does.
 */
export const CHANNELS = 'channels';
export const MESSAGES = 'messages';
export const BOT_USER = 'U0SBXBOT01';
export const BOT_ID = 'B0SBXBOT01';
export const APP_ID = 'A0SBXAPP01';
export const TEAM_ID = 'T0SBXTEAM1';

export interface MessageFields {
  channel: string;
  ts: string;
  text: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edited?: { user: string; ts: string };
  /** A thread parent deleted while it had replies: shown as Slack's "This message was deleted." tombstone. */
  tombstone?: boolean;
  /**
   * Files shared with the message (docs.slack.dev/reference/objects/file-object: id, name, title,
   * mimetype, permalink, url_private, ...), shown as stored. Seed them (`POST /__sandbox/seed`): the
   * upload methods (files.getUploadURLExternal / files.completeUploadExternal) are not served.
   */
  files?: Array<Record<string, unknown>>;
}

/** What Slack shows in place of a deleted thread parent that still has replies. */
export const TOMBSTONE_TEXT = 'This message was deleted.';
/** The user Slack attributes a tombstone to. */
export const SLACKBOT = 'USLACKBOT';

export function messageId(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

/** A ts as microseconds since the epoch ('1732540000.000100' -> 1732540000000100). */
export function tsMicros(ts: string): number {
  const [seconds, fraction = ''] = ts.split('.');
  return Number(seconds) * 1_000_000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

export function isTs(value: string): boolean {
  return /^\d{1,10}(\.\d{1,6})?$/.test(value);
}

export function microsToTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** Unique, increasing ts values from the sandbox clock (ms), six fractional digits like Slack's. */
export class TsSource {
  private last = 0;
  next(nowMs: number): string {
    this.last = Math.max(nowMs * 1000, this.last + 1);
    return microsToTs(this.last);
  }
  /** Seeded messages with their own ts keep later ones increasing. */
  saw(ts: string): void {
    this.last = Math.max(this.last, tsMicros(ts));
  }
}

export function fieldsOf(record: StoredRecord): MessageFields {
  return record.fields as unknown as MessageFields;
}

/**
 * A message as conversations.history / replies / chat.* show it. `parentUser` is the thread
 * starter's user, which Slack puts on every reply as parent_user_id.
 */
export function presentMessage(m: MessageFields, replies: MessageFields[], withMetadata: boolean, parentUser?: string): Record<string, unknown> {
  const isParent = replies.length > 0;
  const out: Record<string, unknown> = m.tombstone
    ? { type: 'message', subtype: 'tombstone', user: SLACKBOT, text: TOMBSTONE_TEXT, hidden: true, ts: m.ts }
    : {
      type: 'message',
      ...(m.user ? { user: m.user } : {}),
      ...(m.bot_id ? { bot_id: m.bot_id, app_id: m.app_id ?? APP_ID } : {}),
      text: m.text,
      ts: m.ts,
      team: TEAM_ID,
    };
  if (m.thread_ts) out.thread_ts = m.thread_ts;
  if (isParent) {
    out.thread_ts = m.ts;
    out.reply_count = replies.length;
    out.reply_users = [...new Set(replies.map((r) => r.user ?? r.bot_id ?? ''))];
    out.reply_users_count = (out.reply_users as string[]).length;
    out.latest_reply = replies[replies.length - 1].ts;
  }
  if (m.thread_ts && m.thread_ts !== m.ts && parentUser) out.parent_user_id = parentUser;
  if (m.tombstone) return out;
  if (m.edited) out.edited = m.edited;
  if (m.files && m.files.length > 0) out.files = m.files;
  if (withMetadata && m.metadata) out.metadata = m.metadata;
  return out;
}

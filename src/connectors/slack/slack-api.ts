import type { HttpClient } from '../../platform/http';
import { slackErrorCode } from './errors';

/** A message as conversations.history / conversations.replies / chat.* return it. */
export interface SlackMessage {
  type?: string;
  subtype?: string;
  ts: string;
  text?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  reply_count?: number;
  latest_reply?: string;
  edited?: { user?: string; ts: string };
  /** docs.slack.dev/reference/objects/file-object (only name, title and links are read). */
  files?: Array<{ name?: string; title?: string; permalink?: string; url_private?: string }>;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

interface ListBody {
  messages?: SlackMessage[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

export interface Metadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface RangeOptions {
  oldest?: string;
  latest?: string;
  inclusive?: boolean;
}

/** Page size for history and replies: Slack recommends no more than 200. */
export const PAGE_LIMIT = 200;

/** The Web API methods the connector uses (docs.slack.dev/reference/methods/<method>). */
export class SlackApi {
  /** `pageLimit`: messages per page of history and replies (rate-limits.ts pageLimitFor). */
  constructor(private readonly http: HttpClient, private readonly pageLimit = PAGE_LIMIT) {}

  async postMessage(args: { channel: string; text: string; thread_ts?: string; metadata?: Metadata }): Promise<{ ts: string; message: SlackMessage }> {
    const res = await this.http.request<{ ts: string; message: SlackMessage }>({ method: 'POST', path: 'chat.postMessage', json: args, headers: { 'content-type': 'application/json; charset=utf-8' } });
    return res.body;
  }

  async update(args: { channel: string; ts: string; text: string; metadata?: Metadata }): Promise<{ ts: string; message: SlackMessage }> {
    const res = await this.http.request<{ ts: string; message: SlackMessage }>({ method: 'POST', path: 'chat.update', json: args, headers: { 'content-type': 'application/json; charset=utf-8' } });
    return res.body;
  }

  async delete(args: { channel: string; ts: string }): Promise<void> {
    await this.http.request({ method: 'POST', path: 'chat.delete', json: args, headers: { 'content-type': 'application/json; charset=utf-8' } });
  }

  /** Who the token is (docs.slack.dev/reference/methods/auth.test): a bot token answers its bot user and bot_id. */
  async authTest(): Promise<{ user_id?: string; bot_id?: string }> {
    return (await this.http.request<{ user_id?: string; bot_id?: string }>({ method: 'POST', path: 'auth.test' })).body;
  }

  /** Top-level messages (and thread parents) in the range, newest first, every page. */
  async history(channel: string, range: RangeOptions = {}, maxMessages = Infinity): Promise<SlackMessage[]> {
    return this.pages('conversations.history', listQuery(channel, range), maxMessages);
  }

  /**
   * One message by ts: a top-level one through history (latest=ts, inclusive, limit 1), a reply
   * through replies. A deleted thread parent that keeps its replies is a tombstone (isTombstone):
   * null, as for any deleted message, unless `tombstones` asks for it (a thread is still there).
   */
  async message(channel: string, ts: string, options: { tombstones?: boolean } = {}): Promise<SlackMessage | null> {
    const top = await this.history(channel, { oldest: ts, latest: ts, inclusive: true }, 1);
    const found = top.find((m) => m.ts === ts);
    if (found) return isTombstone(found) && !options.tombstones ? null : found;
    const thread = await this.replies(channel, ts, { oldest: ts, latest: ts, inclusive: true }).catch((err: unknown) => {
      if (slackErrorCode(err) === 'thread_not_found' || slackErrorCode(err) === 'message_not_found') return [];
      throw err;
    });
    return thread.find((m) => m.ts === ts) ?? null;
  }

  /** A thread: its parent first, then its replies oldest first (within the range). */
  async replies(channel: string, ts: string, range: RangeOptions = {}): Promise<SlackMessage[]> {
    return this.pages('conversations.replies', listQuery(channel, range, ts));
  }

  /**
   * One page of history or replies from `cursor` (Slack's response_metadata.next_cursor; none for
   * the first): its messages and the cursor of the next page, absent on the last.
   */
  async page(method: ListMethod, query: Record<string, string>, cursor?: string, maxMessages = PAGE_LIMIT): Promise<{ messages: SlackMessage[]; next?: string }> {
    const res = await this.http.request<ListBody>({
      method: 'GET', path: method, query: { ...query, include_all_metadata: 'true', limit: Math.min(this.pageLimit, maxMessages), ...(cursor ? { cursor } : {}) },
    });
    const next = res.body.response_metadata?.next_cursor;
    if (next && next === cursor) throw new Error(`slack ${method} paging did not advance (cursor ${next} returned twice)`);
    return { messages: res.body.messages ?? [], ...(next ? { next } : {}) };
  }

  private async pages(method: ListMethod, query: Record<string, string>, maxMessages = Infinity): Promise<SlackMessage[]> {
    const out: SlackMessage[] = [];
    let cursor: string | undefined;
    for (;;) {
      const { messages, next } = await this.page(method, query, cursor, maxMessages - out.length);
      out.push(...messages);
      if (!next || out.length >= maxMessages) return out;
      cursor = next;
    }
  }
}

export type ListMethod = 'conversations.history' | 'conversations.replies';

/** The query of a history (channel) or replies (channel, thread ts) read within `range`. */
export function listQuery(channel: string, range: RangeOptions, thread?: string): Record<string, string> {
  return { channel, ...(thread ? { ts: thread } : {}), ...queryOf(range) };
}

/** Slack's stand-in for a deleted thread parent with replies ("This message was deleted."): a delete, not a message. */
export function isTombstone(m: SlackMessage): boolean {
  return m.subtype === 'tombstone';
}

function queryOf(range: RangeOptions): Record<string, string> {
  return {
    ...(range.oldest !== undefined ? { oldest: range.oldest } : {}),
    ...(range.latest !== undefined ? { latest: range.latest } : {}),
    ...(range.inclusive ? { inclusive: 'true' } : {}),
  };
}

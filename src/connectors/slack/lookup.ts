import { ConnectorError } from '../../platform/errors';
import type { Key, ReadOptions } from '../contract';
import { slackErrorCode, SYSTEM } from './errors';
import { ORIGIN_FIELD, TS_FIELD } from './objects';
import { microsToTs, toRecord } from './records';
import type { SlackApi, SlackMessage } from './slack-api';

/**
 * Finding messages by a natural key:
 * - `ts`: one read (conversations.history latest=ts inclusive limit=1; conversations.replies for a reply);
 * - `forge_origin` near a known place (ReadOptions.near: a window of time, and the thread for a
 *   reply): the history of that window, or the thread's replies in it (a page or two). This is how
 *   the bridge finds a copy a crashed attempt posted: under the 2025 limits for non-Marketplace apps
 *   (history and replies 1 call a minute, 15 a page) it costs minutes, not hours;
 * - `forge_origin` anywhere: Slack has no search by metadata for bots, so the channel's history
 *   (with include_all_metadata) and the replies of its threads are read once per call and indexed.
 *   This costs one history page per 200 messages (15 under the 2025 limits) plus one call per
 *   thread: fine for channels a load writes to, far too slow for a bridge under the 2025 limits.
 */
export class MessageFinder {
  /** The promise, not the map: concurrent finds share one read of the channel instead of each starting their own. */
  private byOrigin?: Promise<Map<string, SlackMessage>>;

  constructor(private readonly api: SlackApi, private readonly channel: string) {}

  async find(keyField: string, key: Key, near?: ReadOptions['near']): Promise<SlackMessage | null> {
    const value = key.trim();
    if (value === '') return null;
    if (keyField === TS_FIELD) return this.api.message(this.channel, value);
    if (keyField === ORIGIN_FIELD && near) return this.findNear(value, near);
    if (keyField === ORIGIN_FIELD) return (await this.originIndex()).get(value) ?? null;
    throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `slack messages cannot be found by ${keyField} (keys: ${TS_FIELD}, ${ORIGIN_FIELD})` });
  }

  /** Forget the index (after writes that change what it would find). */
  invalidate(): void {
    this.byOrigin = undefined;
  }

  private async findNear(origin: string, near: NonNullable<ReadOptions['near']>): Promise<SlackMessage | null> {
    const range = { oldest: tsOfIso(near.from), latest: tsOfIso(near.to), inclusive: true };
    const messages = near.thread ? await this.api.replies(this.channel, near.thread, range).catch((err: unknown) => {
      if (slackErrorCode(err) === 'thread_not_found') return [];
      throw err;
    }) : await this.api.history(this.channel, range);
    // Newest first: the newest wins, as in the whole-channel index.
    const candidates = messages.filter((m) => m.ts !== near.thread && toRecord(m)[ORIGIN_FIELD] === origin);
    return candidates.sort((a, b) => Number(b.ts) - Number(a.ts))[0] ?? null;
  }

  private originIndex(): Promise<Map<string, SlackMessage>> {
    if (!this.byOrigin) {
      const reading = this.readOriginIndex();
      this.byOrigin = reading;
      // A failed read (a 429, an outage) is not kept: the next find reads again.
      reading.catch(() => { if (this.byOrigin === reading) this.byOrigin = undefined; });
    }
    return this.byOrigin;
  }

  private async readOriginIndex(): Promise<Map<string, SlackMessage>> {
    const index = new Map<string, SlackMessage>();
    const add = (m: SlackMessage) => {
      const origin = toRecord(m)[ORIGIN_FIELD];
      if (typeof origin === 'string' && !index.has(origin)) index.set(origin, m); // newest first: the newest wins
    };
    const top = await this.api.history(this.channel);
    for (const m of top) {
      add(m);
      if ((m.reply_count ?? 0) > 0) {
        const thread = await this.api.replies(this.channel, m.ts);
        thread.filter((r) => r.ts !== m.ts).reverse().forEach(add);
      }
    }
    return index;
  }
}

/** An ISO time as a Slack ts (seconds.micros). */
function tsOfIso(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `not a time: ${iso}` });
  return microsToTs(ms * 1000);
}

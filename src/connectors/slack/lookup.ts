import { ConnectorError } from '../../platform/errors';
import type { Key } from '../contract';
import { SYSTEM } from './errors';
import { ORIGIN_FIELD, TS_FIELD } from './objects';
import { toRecord } from './records';
import type { SlackApi, SlackMessage } from './slack-api';

/**
 * Finding messages by a natural key:
 * - `ts`: one read (conversations.history latest=ts inclusive limit=1; conversations.replies for a reply);
 * - `forge_origin`: Slack has no search by metadata for bots, so the channel's history (with
 *   include_all_metadata) and the replies of its threads are read once per call and indexed. This
 *   costs one history page per 200 messages plus one call per thread: fine for channels a bridge or
 *   a load writes to, slow for channels with years of history.
 */
export class MessageFinder {
  /** The promise, not the map: concurrent finds share one read of the channel instead of each starting their own. */
  private byOrigin?: Promise<Map<string, SlackMessage>>;

  constructor(private readonly api: SlackApi, private readonly channel: string) {}

  async find(keyField: string, key: Key): Promise<SlackMessage | null> {
    const value = key.trim();
    if (value === '') return null;
    if (keyField === TS_FIELD) return this.api.message(this.channel, value);
    if (keyField === ORIGIN_FIELD) return (await this.originIndex()).get(value) ?? null;
    throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `slack messages cannot be found by ${keyField} (keys: ${TS_FIELD}, ${ORIGIN_FIELD})` });
  }

  /** Forget the index (after writes that change what it would find). */
  invalidate(): void {
    this.byOrigin = undefined;
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

import { z } from 'zod';
import { ConnectorError } from '../../platform/errors';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { SYSTEM } from './auth';
import type { GraphApi, GraphMessage } from './graph-api';
import { channelOf, type ChannelRef } from './objects';
import { changedAt, isDeleted, toRecord } from './records';

/**
 * How many threads (root messages) a capture follows for replies. Graph's channel delta returns root
 * messages only ("without the replies"), and a new or edited reply does not show up in it, so the
 * capture lists the replies of the most recent threads it has seen (newest ids first) on every poll:
 * one request per followed thread, within the per-channel throttle. Replies in older threads are
 * not captured (the gap this trade-off leaves).
 */
export const MAX_FOLLOWED_THREADS = 20;

const threadSchema = z.object({ id: z.string(), since: z.string(), seen: z.array(z.string()) });
const cursorSchema = z.object({ deltaToken: z.string().min(1), threads: z.array(threadSchema) });
export type TeamsCursor = z.infer<typeof cursorSchema>;
type Thread = z.infer<typeof threadSchema>;

/**
 * Capture by Graph's delta query per channel: the first poll walks a full sync (every page of
 * GET .../messages/delta, plus the soft-deleted roots it leaves out), later polls resume from the $deltatoken of the last @odata.deltaLink (the
 * cursor). A message with deletedDateTime becomes a delete; everything else an upsert of the message
 * (forge_origin surfaced from its marker). version = (deletedDateTime or lastModifiedDateTime)|id.
 */
export function teamsSource(api: GraphApi, options: { maxThreads?: number } = {}): SourceContract {
  const maxThreads = options.maxThreads ?? MAX_FOLLOWED_THREADS;
  return {
    async capture(object, rawCursor): Promise<CapturePage> {
      const ch = channelOf(object);
      const cursor = parseCursor(rawCursor);
      const { messages, deltaToken } = await walkDelta(api, ch, cursor?.deltaToken ?? null);
      if (!cursor) messages.push(...(await deletedRootsMissingFrom(api, ch, messages)));
      const changes = messages.map((m) => toChange(object, m));

      const threads = new Map<string, Thread>((cursor?.threads ?? []).map((t) => [t.id, t]));
      for (const root of messages) {
        // A soft-deleted root keeps its replies (and they can still change): followed until Graph answers 404.
        if (!threads.has(root.id)) threads.set(root.id, { id: root.id, since: '', seen: [] });
      }
      const followed = [...threads.values()].sort((a, b) => compareIds(b.id, a.id)).slice(0, maxThreads);
      const kept: Thread[] = [];
      for (const thread of followed) {
        const replies = await api.replies(ch, thread.id);
        if (replies === null) continue; // the thread is gone
        const fresh = replies.filter((r) => changedAt(r) > thread.since || (changedAt(r) === thread.since && !thread.seen.includes(versionOf(r))));
        changes.push(...fresh.map((r) => toChange(object, r)));
        kept.push(advance(thread, fresh));
      }
      changes.sort((a, b) => (a.occurredAt === b.occurredAt ? compareIds(a.recordId, b.recordId) : a.occurredAt < b.occurredAt ? -1 : 1));
      return { changes, cursor: { deltaToken, threads: kept } satisfies TeamsCursor, hasMore: false };
    },
  };
}

function parseCursor(cursor: unknown): TeamsCursor | null {
  if (cursor === null || cursor === undefined) return null;
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `teams capture cursor is not one this connector wrote: ${JSON.stringify(cursor)}` });
  return parsed.data;
}

/**
 * The soft-deleted root messages a full delta did not list. Graph's delta pages describe the full
 * sync as "all the messages in the specified channel" without saying whether soft-deleted roots are
 * among them (chatmessage-delta, v1.0), and List channel messages describes "all root chat messages
 * in a channel" with deletedDateTime "null if not deleted" (channel-list-messages, chatMessage
 * resource, v1.0). So the first sync also lists the roots (GET .../messages) and takes the deleted
 * ones delta left out: each becomes a delete (a copy of it must go too) and a thread to follow,
 * since its replies stay readable through GET .../messages/{id}/replies (chatmessage-list-replies).
 */
async function deletedRootsMissingFrom(api: GraphApi, ch: ChannelRef, fromDelta: GraphMessage[]): Promise<GraphMessage[]> {
  const listed = new Set(fromDelta.map((m) => m.id));
  return (await api.roots(ch)).filter((m) => isDeleted(m) && !listed.has(m.id));
}

/** Every page of one delta round; the $deltatoken of its closing @odata.deltaLink. */
async function walkDelta(api: GraphApi, ch: ChannelRef, deltaToken: string | null): Promise<{ messages: GraphMessage[]; deltaToken: string }> {
  const messages: GraphMessage[] = [];
  let link: string | null = deltaToken ? api.deltaLinkFor(ch, deltaToken) : null;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await api.deltaPage(ch, link);
    messages.push(...(page.value ?? []));
    if (page['@odata.deltaLink']) {
      const token = new URL(page['@odata.deltaLink'], 'http://graph.invalid').searchParams.get('$deltatoken');
      if (!token) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: 'teams delta answered a deltaLink without $deltatoken' });
      return { messages, deltaToken: token };
    }
    const next = page['@odata.nextLink'];
    if (!next || next === link) throw new ConnectorError({ kind: 'transient', system: SYSTEM, message: 'teams delta page had neither a new @odata.nextLink nor an @odata.deltaLink' });
    link = next;
  }
  throw new ConnectorError({ kind: 'transient', system: SYSTEM, message: 'teams delta round did not end within 10,000 pages' });
}

function versionOf(m: GraphMessage): string {
  return `${changedAt(m)}|${m.id}`;
}

function toChange(object: string, m: GraphMessage): ChangeEvent {
  const deleted = isDeleted(m);
  return { object, recordId: m.id, op: deleted ? 'delete' : 'upsert', occurredAt: changedAt(m), version: versionOf(m), data: deleted ? null : toRecord(m) };
}

function advance(thread: Thread, fresh: GraphMessage[]): Thread {
  let { since, seen } = thread;
  for (const r of fresh) {
    const at = changedAt(r);
    if (at > since) {
      since = at;
      seen = [versionOf(r)];
    } else if (at === since) seen = [...seen, versionOf(r)];
  }
  return { id: thread.id, since, seen };
}

/** Graph's message ids are epoch milliseconds as strings: numeric order is posting order. */
function compareIds(a: string, b: string): number {
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length;
}

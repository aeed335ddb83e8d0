import { z } from 'zod';
import { summarizeCursor } from '../../platform/cursor-summary';
import { ConnectorError, isConnectorError } from '../../platform/errors';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { slackErrorCode, SYSTEM } from './errors';
import { channelOf } from './objects';
import { microsToTs, toRecord, tsToIso, versionOf } from './records';
import { isTombstone, listQuery, type RangeOptions, type SlackApi, type SlackMessage } from './slack-api';

/** Threads whose parent is older than the scan are still followed for new replies this long. */
export const THREAD_FOLLOW_SECONDS = 24 * 3600;
export const MAX_FOLLOWED_THREADS = 100;
/** History pages a capture call keeps in memory to emit without reading them again (the cursor never holds them). */
const MAX_PAGES_HELD = 20;

/** A message seen by a poll: its version and, for a reply, its thread's parent ts. */
const seenSchema = z.object({ v: z.string(), t: z.string().optional() });

/**
 * A poll under way across capture calls (Slack's 2025 limits for non-Marketplace apps allow one
 * history and one replies call a minute, 15 messages a page): where it stands, so a call refused
 * with 429 resumes where the previous one stopped. Positions only, never a message: history comes
 * newest first, so a poll first walks it to its oldest page (emitted as read), remembering where
 * each newer page ends, then reads those pages again oldest first and emits each as it is read.
 * - `startedAt` (epoch ms) and `scanFrom` (micros, exclusive; 0 = everything) fix the poll's range;
 * - `historyNext`: the next page of the newest-first walk ('' = the first), absent once walked;
 *   `walkBelow`: the oldest ts (micros) of the page walked last, where the next page ends;
 * - `windows`: exclusive upper ends (micros) of the history pages still to emit, the next one last;
 *   each is read from `emittedThrough` (micros, exclusive: the newest top-level ts emitted);
 * - `threads`: parents whose replies are still to read, the first one from `threadNext` if set;
 * - `scanned`: threads read through that the next poll needs (followed, or parents of `known` replies);
 * - `seen`: the messages read this poll that the next poll compares with (its re-scan window, and
 *   the previous window's); `newest`: the newest ts read.
 */
const progressSchema = z.object({
  startedAt: z.number(),
  scanFrom: z.number(),
  historyNext: z.string().optional(),
  walkBelow: z.number().optional(),
  windows: z.array(z.number()),
  emittedThrough: z.number(),
  threads: z.array(z.string()),
  threadNext: z.string().optional(),
  scanned: z.array(z.string()),
  seen: z.record(z.string(), seenSchema),
  newest: z.string().nullable(),
});
export type PollProgress = z.infer<typeof progressSchema>;

/**
 * Where a capture stands. `latest`: the newest ts emitted. `known`: the messages seen in the last
 * re-scan window, ts -> { v: version, t: thread parent ts for replies }. `threads`: thread parents
 * followed for replies. `poll`: a poll not finished yet (PollProgress). A poll this version cannot
 * read (one written before it, which held messages) is dropped: the next call starts the poll
 * again from `latest`, which only a finished poll moves, so nothing is lost.
 */
const cursorSchema = z.object({
  latest: z.string().nullable(),
  known: z.record(z.string(), seenSchema),
  threads: z.array(z.string()),
  poll: progressSchema.optional().catch(undefined),
});
export type SlackCursor = z.infer<typeof cursorSchema>;

export interface SlackSourceOptions {
  rescanMinutes: number;
  /** Epoch ms; injectable for tests. */
  now?: () => number;
}

/**
 * Polling capture of one channel (conversations.history + conversations.replies; the Events API,
 * which alone reports message_deleted, needs a public endpoint and is not used). Each poll reads
 * history with oldest = min(cursor's newest ts, now - rescanMinutes) (exclusive), the replies of
 * threads in that range and of followed threads, and compares with the messages the previous poll
 * saw in its window:
 * - a message not seen before, or seen with another version (edited.ts moved), is an upsert,
 *   version `<ts>:<edited ts or ts>`;
 * - a message seen before within the window and now missing is a delete, version `<ts>:deleted`
 *   (replies only when their thread was read this poll).
 * A poll may span several capture calls: each reads pages until Slack refuses one (429, an
 * outage), then returns what it found with `hasMore: true` and the poll's position in the cursor;
 * a call refused before reading anything throws, so the activity retries after Retry-After.
 * Top-level messages are emitted oldest first: history comes newest first, so a range of more than
 * one page is walked to its oldest page, and the newer pages are read again, oldest first, each
 * emitted as read (the cursor holds where pages end, never messages) — unless the walk ended in the
 * same call: then the pages it read (up to MAX_PAGES_HELD) are emitted from memory. Each thread's replies follow
 * as their pages come (oldest first), after the page holding their parent; deletes when the poll ends.
 * Honest limits of polling: edits and deletes older than the re-scan window are not seen; a new
 * reply to a thread whose parent is older than THREAD_FOLLOW_SECONDS when capture first saw it is
 * not seen.
 */
export function slackSource(api: SlackApi, options: SlackSourceOptions): SourceContract {
  const now = options.now ?? Date.now;
  return {
    async capture(object, rawCursor): Promise<CapturePage> {
      const channel = channelOf(object);
      if (!channel) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `slack has no object ${object}: use messages:<channelId>` });
      const cursor = parseCursor(rawCursor);
      const poll = cursor?.poll ?? startPoll(cursor, now(), options.rescanMinutes);
      const known = cursor?.known ?? {};
      const keep = keptFor(poll, known, options.rescanMinutes);
      const changes: ChangeEvent[] = [];
      const upsert = (m: SlackMessage, thread?: string) => {
        if (poll.seen[m.ts]) return;
        if (poll.newest === null || Number(m.ts) > Number(poll.newest)) poll.newest = m.ts;
        const version = versionOf(m);
        if (keep(m.ts)) poll.seen[m.ts] = { v: version, ...(thread ? { t: thread } : {}) };
        if (known[m.ts]?.v !== version) {
          changes.push({ object, recordId: m.ts, op: 'upsert', occurredAt: tsToIso(m.edited?.ts ?? m.ts), version, data: toRecord(m) });
        }
      };
      /** A page of top-level messages that nothing older is left to emit before: emitted, its threads queued. */
      const emitTopLevel = (messages: SlackMessage[]) => {
        const sorted = [...messages].sort((a, b) => Number(a.ts) - Number(b.ts));
        // A tombstone (a parent deleted while it has replies) is not seen: a delete, and its thread still read.
        for (const m of sorted) if (!isTombstone(m)) upsert(m);
        for (const m of sorted) {
          if ((m.reply_count ?? 0) > 0 && !poll.threads.includes(m.ts) && !poll.scanned.includes(m.ts)) poll.threads.push(m.ts);
        }
        if (sorted.length > 0) poll.emittedThrough = Math.max(poll.emittedThrough, micros(Number(sorted.at(-1)!.ts)));
      };
      const history = (range: RangeOptions, next?: string) => api.page('conversations.history', listQuery(channel, range), next);
      // Pages walked in this call, by the end of their window: emitted from memory if the walk ends in this call too.
      const walked = new Map<number, SlackMessage[]>();

      let readSomething = false;
      try {
        for (;;) {
          if (poll.historyNext !== undefined) {
            // The newest-first walk: only its last page (the oldest) is emitted now.
            const page = await history(poll.scanFrom > 0 ? { oldest: microsToTs(poll.scanFrom) } : {}, poll.historyNext || undefined);
            readSomething = true;
            if (!page.next) {
              delete poll.historyNext;
              delete poll.walkBelow;
              emitTopLevel(page.messages);
              continue;
            }
            if (page.messages.length > 0) {
              const upTo = poll.walkBelow ?? micros(Number(newestOf(page.messages))) + 1;
              poll.windows.push(upTo);
              if (walked.size < MAX_PAGES_HELD) walked.set(upTo, page.messages);
              poll.walkBelow = micros(Number(oldestOf(page.messages)));
            }
            poll.historyNext = page.next;
          } else if (poll.threads.length > 0) {
            await readThread(poll.threads[0]!);
          } else if (poll.windows.length > 0) {
            const upTo = poll.windows.at(-1)!;
            const held = walked.get(upTo);
            if (held) {
              poll.windows.pop();
              emitTopLevel(held);
              continue;
            }
            const page = await history({ ...(poll.emittedThrough > 0 ? { oldest: microsToTs(poll.emittedThrough) } : {}), latest: microsToTs(upTo) });
            readSomething = true;
            if (page.next && page.messages.length > 0) {
              // More than a page lies there now (a message back-dated meanwhile): the older part first.
              poll.windows.push(micros(Number(oldestOf(page.messages))));
              continue;
            }
            poll.windows.pop();
            emitTopLevel(page.messages);
          } else {
            break;
          }
        }
      } catch (err) {
        // Refused midway (Slack's 1 call a minute, an outage): keep where the poll stands, go on next call.
        if (!readSomething || !isConnectorError(err) || err.kind !== 'transient') throw err;
        return { changes: inOrder(changes), cursor: { latest: cursor?.latest ?? null, known, threads: cursor?.threads ?? [], poll } satisfies SlackCursor, hasMore: true };
      }
      return finishPoll(object, cursor, poll, changes, options.rescanMinutes);

      async function readThread(parent: string): Promise<void> {
        const range = poll.scanFrom > 0 ? { oldest: microsToTs(poll.scanFrom) } : {};
        const page = await api.page('conversations.replies', listQuery(channel!, range, parent), poll.threadNext).catch((err: unknown) => {
          if (slackErrorCode(err) === 'thread_not_found') return null; // the thread is gone: nothing to read, not scanned
          throw err;
        });
        readSomething = true;
        if (page) for (const r of page.messages) if (r.ts !== parent) upsert(r, parent);
        if (page?.next) {
          poll.threadNext = page.next;
          return;
        }
        poll.threads.shift();
        delete poll.threadNext;
        if (page) poll.scanned = scannedToKeep([...poll.scanned, parent], poll, known);
      }
    },
  };
}

function startPoll(cursor: SlackCursor | null, nowMs: number, rescanMinutes: number): PollProgress {
  const windowStart = micros(nowMs / 1000 - rescanMinutes * 60);
  const scanFrom = cursor ? Math.min(cursor.latest ? micros(Number(cursor.latest)) : windowStart, windowStart) : 0;
  return {
    startedAt: nowMs, scanFrom, historyNext: '', windows: [], emittedThrough: scanFrom,
    threads: [...(cursor?.threads ?? [])], scanned: [], seen: {}, newest: null,
  };
}

/**
 * Which messages read this poll its cursor keeps: those the next poll's comparison needs (the
 * re-scan window as of the poll's start) and those the previous poll kept (a delete is what is
 * missing from them). The rest of a first sync is emitted and forgotten.
 */
function keptFor(poll: PollProgress, known: SlackCursor['known'], rescanMinutes: number): (ts: string) => boolean {
  const windowStart = micros(poll.startedAt / 1000 - rescanMinutes * 60);
  return (ts) => micros(Number(ts)) > windowStart || known[ts] !== undefined;
}

/**
 * The threads read through that the poll's end needs: the newest MAX_FOLLOWED_THREADS it may follow,
 * and the parents of replies `known` holds (a reply missing from a thread read is a delete).
 */
function scannedToKeep(scanned: string[], poll: PollProgress, known: SlackCursor['known']): string[] {
  const parentsOfKnown = new Set(Object.values(known).flatMap((e) => (e.t === undefined ? [] : [e.t])));
  const followed = new Set(followedThreads(scanned, poll.startedAt));
  return scanned.filter((p) => followed.has(p) || parentsOfKnown.has(p));
}

function followedThreads(scanned: string[], startedAt: number): string[] {
  const followFrom = micros(startedAt / 1000 - THREAD_FOLLOW_SECONDS);
  return scanned.filter((p) => micros(Number(p)) > followFrom).sort((a, b) => Number(b) - Number(a)).slice(0, MAX_FOLLOWED_THREADS);
}

/** The poll has read everything: deletes (known before, not seen now), and the cursor for the next poll. */
function finishPoll(object: string, cursor: SlackCursor | null, poll: PollProgress, changes: ChangeEvent[], rescanMinutes: number): CapturePage {
  const scanned = new Set(poll.scanned);
  const deletedAt = new Date(poll.startedAt).toISOString();
  for (const [ts, entry] of Object.entries(cursor?.known ?? {})) {
    if (poll.seen[ts] || micros(Number(ts)) <= poll.scanFrom) continue;
    if (entry.t !== undefined && !scanned.has(entry.t)) continue; // its thread was not read: unknown, not deleted
    changes.push({ object, recordId: ts, op: 'delete', occurredAt: deletedAt, version: `${ts}:deleted`, data: null });
  }
  const windowStart = micros(poll.startedAt / 1000 - rescanMinutes * 60);
  const known: SlackCursor['known'] = {};
  for (const [ts, entry] of Object.entries(poll.seen)) if (micros(Number(ts)) > windowStart) known[ts] = entry;
  const newest = [poll.newest, cursor?.latest ?? null].filter((ts): ts is string => ts !== null).sort((a, b) => Number(b) - Number(a))[0] ?? null;
  return { changes: inOrder(changes), cursor: { latest: newest, known, threads: followedThreads(poll.scanned, poll.startedAt) } satisfies SlackCursor, hasMore: false };
}

function newestOf(messages: SlackMessage[]): string {
  return messages.reduce((a, m) => (Number(m.ts) > Number(a) ? m.ts : a), messages[0]!.ts);
}

function oldestOf(messages: SlackMessage[]): string {
  return messages.reduce((a, m) => (Number(m.ts) < Number(a) ? m.ts : a), messages[0]!.ts);
}

/** Oldest first, by the time of the change. */
function inOrder(changes: ChangeEvent[]): ChangeEvent[] {
  return changes.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || Number(a.recordId) - Number(b.recordId));
}

function micros(seconds: number): number {
  return Math.round(seconds * 1_000_000);
}

function parseCursor(cursor: unknown): SlackCursor | null {
  if (cursor === null || cursor === undefined) return null;
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `slack capture cursor is not one this connector wrote: ${summarizeCursor(cursor)}` });
  return parsed.data;
}

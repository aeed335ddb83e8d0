import { z } from 'zod';
import { ConnectorError, isConnectorError } from '../../platform/errors';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { slackErrorCode, SYSTEM } from './errors';
import { channelOf } from './objects';
import { microsToTs, toRecord, tsToIso, versionOf } from './records';
import { isTombstone, listQuery, type SlackApi, type SlackMessage } from './slack-api';

/** Threads whose parent is older than the scan are still followed for new replies this long. */
export const THREAD_FOLLOW_SECONDS = 24 * 3600;
export const MAX_FOLLOWED_THREADS = 100;

/** A message seen by a poll: its version and, for a reply, its thread's parent ts. */
const seenSchema = z.object({ v: z.string(), t: z.string().optional() });

/**
 * A poll under way across capture calls (Slack's 2025 limits for non-Marketplace apps allow one
 * history and one replies call a minute): what it has read so far, so a call refused with 429
 * resumes where the previous one stopped instead of starting over.
 * - `startedAt` (epoch ms) and `scanFrom` (micros, exclusive; 0 = everything) fix the poll's range;
 * - `historyNext`: the history page to read next ('' = the first), absent once history is read;
 * - `pending`: top-level messages read while history is not finished, emitted together at its end
 *   (history pages come newest first: emitting each page as read would put newer messages first);
 * - `threads`: parents whose replies are still to read, the first one from `threadNext` if set;
 * - `scanned`: threads read through; `seen`: every message read this poll.
 */
const progressSchema = z.object({
  startedAt: z.number(),
  scanFrom: z.number(),
  historyNext: z.string().optional(),
  pending: z.array(z.custom<SlackMessage>((m) => typeof m === 'object' && m !== null && typeof (m as { ts?: unknown }).ts === 'string')),
  threads: z.array(z.string()),
  threadNext: z.string().optional(),
  scanned: z.array(z.string()),
  seen: z.record(z.string(), seenSchema),
});
export type PollProgress = z.infer<typeof progressSchema>;

/**
 * Where a capture stands. `latest`: the newest ts emitted. `known`: the messages seen in the last
 * re-scan window, ts -> { v: version, t: thread parent ts for replies }. `threads`: thread parents
 * followed for replies. `poll`: a poll not finished yet (PollProgress).
 */
const cursorSchema = z.object({
  latest: z.string().nullable(),
  known: z.record(z.string(), seenSchema),
  threads: z.array(z.string()),
  poll: progressSchema.optional(),
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
 * outage), then returns what it found with `hasMore: true` and the poll's progress in the cursor;
 * a call refused before reading anything throws, so the activity retries after Retry-After. Top-level
 * messages are emitted once history is read through, oldest first; each thread's replies as their
 * pages come (oldest first); deletes when the poll ends.
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
      const changes: ChangeEvent[] = [];
      const upsert = (m: SlackMessage, thread?: string) => {
        if (poll.seen[m.ts]) return;
        const version = versionOf(m);
        poll.seen[m.ts] = { v: version, ...(thread ? { t: thread } : {}) };
        if (known[m.ts]?.v !== version) {
          changes.push({ object, recordId: m.ts, op: 'upsert', occurredAt: tsToIso(m.edited?.ts ?? m.ts), version, data: toRecord(m) });
        }
      };
      const range = poll.scanFrom > 0 ? { oldest: microsToTs(poll.scanFrom) } : {};

      let readSomething = false;
      try {
        while (poll.historyNext !== undefined) {
          const page = await api.page('conversations.history', listQuery(channel, range), poll.historyNext || undefined);
          readSomething = true;
          poll.pending.push(...page.messages);
          if (page.next) {
            poll.historyNext = page.next;
            continue;
          }
          delete poll.historyNext;
          const parents = new Set([...poll.pending.filter((m) => (m.reply_count ?? 0) > 0).map((m) => m.ts), ...poll.threads]);
          poll.threads = [...parents].sort((a, b) => Number(a) - Number(b));
          // A tombstone (a parent deleted while it has replies) is not seen: a delete, and its thread still followed.
          for (const m of [...poll.pending].sort((a, b) => Number(a.ts) - Number(b.ts))) if (!isTombstone(m)) upsert(m);
          poll.pending = [];
        }
        while (poll.threads.length > 0) {
          const parent = poll.threads[0]!;
          const page = await api.page('conversations.replies', listQuery(channel, range, parent), poll.threadNext).catch((err: unknown) => {
            if (slackErrorCode(err) === 'thread_not_found') return null; // the thread is gone: nothing to read, not scanned
            throw err;
          });
          readSomething = true;
          if (!page) {
            poll.threads.shift();
            delete poll.threadNext;
            continue;
          }
          for (const r of page.messages) if (r.ts !== parent) upsert(r, parent);
          if (page.next) {
            poll.threadNext = page.next;
            continue;
          }
          poll.scanned.push(parent);
          poll.threads.shift();
          delete poll.threadNext;
        }
      } catch (err) {
        // Refused midway (Slack's 1 call a minute, an outage): keep what was read, go on next call.
        if (!readSomething || !isConnectorError(err) || err.kind !== 'transient') throw err;
        return { changes: inOrder(changes), cursor: { latest: cursor?.latest ?? null, known, threads: cursor?.threads ?? [], poll } satisfies SlackCursor, hasMore: true };
      }
      return finishPoll(object, cursor, poll, changes, options.rescanMinutes);
    },
  };
}

function startPoll(cursor: SlackCursor | null, nowMs: number, rescanMinutes: number): PollProgress {
  const windowStart = micros(nowMs / 1000 - rescanMinutes * 60);
  const scanFrom = cursor ? Math.min(cursor.latest ? micros(Number(cursor.latest)) : windowStart, windowStart) : 0;
  return { startedAt: nowMs, scanFrom, historyNext: '', pending: [], threads: [...(cursor?.threads ?? [])], scanned: [], seen: {} };
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
  const newest = [...Object.keys(poll.seen), ...(cursor?.latest ? [cursor.latest] : [])].sort((a, b) => Number(b) - Number(a))[0] ?? null;
  const followFrom = micros(poll.startedAt / 1000 - THREAD_FOLLOW_SECONDS);
  const threads = poll.scanned.filter((p) => micros(Number(p)) > followFrom).sort((a, b) => Number(b) - Number(a)).slice(0, MAX_FOLLOWED_THREADS);
  return { changes: inOrder(changes), cursor: { latest: newest, known, threads } satisfies SlackCursor, hasMore: false };
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
  if (!parsed.success) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `slack capture cursor is not one this connector wrote: ${JSON.stringify(cursor).slice(0, 200)}` });
  return parsed.data;
}

import { z } from 'zod';
import { ConnectorError } from '../../platform/errors';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { slackErrorCode, SYSTEM } from './errors';
import { channelOf } from './objects';
import { toRecord, tsToIso, versionOf } from './records';
import { isTombstone, type SlackApi, type SlackMessage } from './slack-api';

/** Threads whose parent is older than the scan are still followed for new replies this long. */
export const THREAD_FOLLOW_SECONDS = 24 * 3600;
export const MAX_FOLLOWED_THREADS = 100;

/**
 * Where a capture stands. `latest`: the newest ts emitted. `known`: the messages seen in the last
 * re-scan window, ts -> { v: version, t: thread parent ts for replies }. `threads`: thread parents
 * followed for replies.
 */
export interface SlackCursor {
  latest: string | null;
  known: Record<string, { v: string; t?: string }>;
  threads: string[];
}

const cursorSchema = z.object({
  latest: z.string().nullable(),
  known: z.record(z.string(), z.object({ v: z.string(), t: z.string().optional() })),
  threads: z.array(z.string()),
});

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
 * Honest limits of polling: edits and deletes older than the re-scan window are not seen; a new
 * reply to a thread whose parent is older than THREAD_FOLLOW_SECONDS when capture first saw it is
 * not seen. Events are emitted oldest first (by the time of the change).
 */
export function slackSource(api: SlackApi, options: SlackSourceOptions): SourceContract {
  const now = options.now ?? Date.now;
  return {
    async capture(object, rawCursor): Promise<CapturePage> {
      const channel = channelOf(object);
      if (!channel) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `slack has no object ${object}: use messages:<channelId>` });
      const cursor = parseCursor(rawCursor);
      const nowMs = now();
      const windowStart = micros((nowMs / 1000) - options.rescanMinutes * 60);
      const scanFrom = cursor ? Math.min(cursor.latest ? micros(Number(cursor.latest)) : windowStart, windowStart) : 0;
      const top = await api.history(channel, scanFrom > 0 ? { oldest: tsOf(scanFrom) } : {});

      const parents = new Set<string>([...top.filter((m) => (m.reply_count ?? 0) > 0).map((m) => m.ts), ...(cursor?.threads ?? [])]);
      const scannedThreads = new Set<string>();
      const seen = new Map<string, { m: SlackMessage; t?: string }>();
      // A tombstone (a parent deleted while it has replies) is not seen: a delete, and its thread still followed.
      for (const m of top) if (!isTombstone(m)) seen.set(m.ts, { m });
      for (const parent of parents) {
        let thread: SlackMessage[];
        try {
          thread = await api.replies(channel, parent, scanFrom > 0 ? { oldest: tsOf(scanFrom) } : {});
        } catch (err) {
          if (slackErrorCode(err) === 'thread_not_found') continue;
          throw err;
        }
        scannedThreads.add(parent);
        for (const r of thread) if (r.ts !== parent) seen.set(r.ts, { m: r, t: parent });
      }

      const changes: ChangeEvent[] = [];
      for (const { m } of seen.values()) {
        const version = versionOf(m);
        if (cursor?.known[m.ts]?.v === version) continue;
        changes.push({ object, recordId: m.ts, op: 'upsert', occurredAt: tsToIso(m.edited?.ts ?? m.ts), version, data: toRecord(m) });
      }
      const deletedAt = new Date(nowMs).toISOString();
      for (const [ts, entry] of Object.entries(cursor?.known ?? {})) {
        if (seen.has(ts) || micros(Number(ts)) <= scanFrom) continue;
        if (entry.t !== undefined && !scannedThreads.has(entry.t)) continue; // its thread was not read: unknown, not deleted
        changes.push({ object, recordId: ts, op: 'delete', occurredAt: deletedAt, version: `${ts}:deleted`, data: null });
      }
      changes.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || Number(a.recordId) - Number(b.recordId));

      const known: SlackCursor['known'] = {};
      for (const [ts, { m, t }] of seen) if (micros(Number(ts)) > windowStart) known[ts] = { v: versionOf(m), ...(t ? { t } : {}) };
      const newest = [...seen.keys(), ...(cursor?.latest ? [cursor.latest] : [])].sort((a, b) => Number(b) - Number(a))[0] ?? null;
      const followFrom = micros(nowMs / 1000 - THREAD_FOLLOW_SECONDS);
      const threads = [...parents].filter((p) => (scannedThreads.has(p)) && micros(Number(p)) > followFrom)
        .sort((a, b) => Number(b) - Number(a)).slice(0, MAX_FOLLOWED_THREADS);
      return { changes, cursor: { latest: newest, known, threads } satisfies SlackCursor, hasMore: false };
    },
  };
}

function micros(seconds: number): number {
  return Math.round(seconds * 1_000_000);
}

function tsOf(us: number): string {
  return `${Math.floor(us / 1_000_000)}.${String(us % 1_000_000).padStart(6, '0')}`;
}

function parseCursor(cursor: unknown): SlackCursor | null {
  if (cursor === null || cursor === undefined) return null;
  const parsed = cursorSchema.safeParse(cursor);
  if (!parsed.success) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `slack capture cursor is not one this connector wrote: ${JSON.stringify(cursor).slice(0, 200)}` });
  return parsed.data;
}

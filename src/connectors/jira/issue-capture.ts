import { z } from 'zod';
import type { CapturePage, ChangeEvent } from '../contract';
import { epochMs, parseCursor, settledUntil, type ResolvedCaptureOptions } from '../kit';
import type { IssueBean, JiraApi } from './api';
import { SYSTEM } from './auth';
import { reconcileIssueIds } from './delete-reconciliation';
import { decodeIds, encodeIds } from './id-set';
import { recordFieldNames, toIssueRecord } from './issue-records';
import { jqlMinute } from './jql-time';
import { issueSpec } from './objects';

/**
 * Issue capture through JQL search (POST /rest/api/3/search/jql, nextPageToken paging):
 *   project in (<projects>) AND updated >= "<minute>" ORDER BY updated ASC, key ASC
 * JQL dates stop at the minute and the search index trails writes, so each poll re-reads an
 * overlap (OVERLAP_MS before the cursor, rounded down to the minute) and drops what it already
 * emitted: `emitted` maps each issue emitted within the overlap to the `updated` it was emitted at,
 * and an issue is emitted again only with another `updated` (deduplication by version). Changes
 * newer than the settle margin are left for the next poll. Deletes come from a periodic key
 * reconciliation (delete-reconciliation.ts).
 */
export const OVERLAP_MS = 2 * 60_000;
/** Search trails writes by a few seconds at most; the overlap covers longer lags. */
export const SEARCH_SETTLE_MS = 5_000;

export interface IssueCaptureOptions extends ResolvedCaptureOptions {
  projectKeys: string[];
  reconcileEveryMs: number;
}

export interface IssueCursor {
  /** Epoch ms: every change updated before `from - OVERLAP_MS` has been emitted. */
  from: number;
  /** Issue id -> `updated` (epoch ms) of the version emitted, for issues emitted within the overlap. */
  emitted: Record<string, number>;
  /** The ids the capture knows (see id-set.ts), for the delete reconciliation. */
  known: string;
  reconciledAt: number;
  /** Ids confirmed deleted and not emitted yet (a poll emits at most its budget). */
  pendingDeletes: string[];
}

const cursorSchema = z.object({
  from: z.number().int().nonnegative(),
  emitted: z.record(z.string(), z.number()),
  known: z.string(),
  reconciledAt: z.number().int().nonnegative(),
  pendingDeletes: z.array(z.string()),
});

const fresh = (): IssueCursor => ({ from: 0, emitted: {}, known: '', reconciledAt: 0, pendingDeletes: [] });

export async function captureIssues(api: JiraApi, timeZone: string, rawCursor: unknown, options: IssueCaptureOptions): Promise<CapturePage> {
  const cursor = parseCursor(SYSTEM, cursorSchema, rawCursor, fresh);
  const now = options.now();
  const until = settledUntil(now, options.settleMs);
  const read = await readWindow(api, timeZone, cursor, until, options);
  const emittedNow = read.changes;
  const known = decodeIds(cursor.known);
  for (const change of emittedNow) known.add(change.recordId);

  const next: IssueCursor = { ...cursor, emitted: { ...cursor.emitted }, pendingDeletes: [...cursor.pendingDeletes] };
  for (const change of emittedNow) next.emitted[change.recordId] = Date.parse(change.occurredAt);
  next.from = Math.max(cursor.from, read.caughtUp ? until : Date.parse(emittedNow[emittedNow.length - 1].occurredAt));
  const oldest = next.from - OVERLAP_MS - 60_000;
  next.emitted = Object.fromEntries(Object.entries(next.emitted).filter(([, at]) => at >= oldest));

  let reconciledNow = false;
  if (read.caughtUp && next.pendingDeletes.length === 0 && now - cursor.reconciledAt >= options.reconcileEveryMs) {
    const { present, deleted } = await reconcileIssueIds(api, options.projectKeys, known);
    known.clear();
    for (const id of present) known.add(id);
    next.pendingDeletes = deleted;
    next.reconciledAt = now;
    reconciledNow = true;
  }
  next.known = encodeIds(known);

  const room = Math.max(0, options.budget - emittedNow.length);
  const deletes = next.pendingDeletes.slice(0, room).map((id) => deleteOf(id, reconciledNow ? now : next.reconciledAt));
  next.pendingDeletes = next.pendingDeletes.slice(deletes.length);
  return { changes: [...emittedNow, ...deletes], cursor: next, hasMore: !read.caughtUp || next.pendingDeletes.length > 0 };
}

interface WindowRead {
  changes: ChangeEvent[];
  caughtUp: boolean;
}

/** The changes of the window not emitted yet, in (updated, id) order, at most the budget. */
async function readWindow(api: JiraApi, timeZone: string, cursor: IssueCursor, until: number, options: IssueCaptureOptions): Promise<WindowRead> {
  const since = jqlMinute(Math.max(0, cursor.from - OVERLAP_MS), timeZone);
  const jql = `project in (${options.projectKeys.join(', ')}) AND updated >= "${since}" ORDER BY updated ASC, key ASC`;
  const names = recordFieldNames(issueSpec);
  const found: Array<{ at: number; issue: IssueBean }> = [];
  let complete = true;
  for await (const issue of api.searchAll(jql, ['*navigable'])) {
    const at = epochMs(issue.fields?.updated as string | undefined);
    if (at === undefined || at > until) continue;
    if (cursor.emitted[issue.id] === at) continue;
    found.push({ at, issue });
    if (found.length > options.budget) {
      complete = false;
      break;
    }
  }
  found.sort((a, b) => a.at - b.at || Number(a.issue.id) - Number(b.issue.id));
  const kept = found.slice(0, options.budget);
  return { changes: kept.map(({ at, issue }) => upsertOf(issue, at, names)), caughtUp: complete && kept.length === found.length };
}

function upsertOf(issue: IssueBean, at: number, names: string[]): ChangeEvent {
  const occurredAt = new Date(at).toISOString();
  return { object: issueSpec.name, recordId: issue.id, op: 'upsert', occurredAt, version: occurredAt, data: toIssueRecord(issue, names) };
}

function deleteOf(id: string, at: number): ChangeEvent {
  const occurredAt = new Date(at).toISOString();
  // '<time>/deleted' sorts after every '<time>' version of the issue: the delete is its last change.
  return { object: issueSpec.name, recordId: id, op: 'delete', occurredAt, version: `${occurredAt}/deleted`, data: null };
}

import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { CapturePage, ChangeEvent, SourceContract } from '../src/connectors/contract';
import { redact, redactValue } from '../src/platform/credentials/redact';
import type { CredentialStore } from '../src/platform/credentials/store';
import { inTransaction } from '../src/platform/db/pool';
import { CapturesRepository, type CaptureRow, type CaptureStatus } from '../src/platform/db/repositories/captures';
import { StreamRepository } from '../src/platform/db/repositories/stream';
import { ConnectorError } from '../src/platform/errors';
import { summarizeCursor } from '../src/platform/cursor-summary';
import { activityStep, openConnection } from './activity-step';

export interface PollResult {
  /** Events new to the Stream (duplicates of earlier attempts or overlapping pages are not counted). */
  appended: number;
  /** The source has more right now: poll again at once. */
  hasMore: boolean;
  /** Now minus the newest change's occurredAt in this page; 0 when the page was empty (caught up). */
  lagSeconds: number;
  /** Where the cursor stands after this poll, positions only (src/platform/cursor-summary.ts); the cursor stays in Postgres. */
  cursorSummary: string;
  /** The capture was stopped meanwhile: nothing was appended and the workflow should end. */
  stopped: boolean;
  /** Another attempt committed a page first (this one's page was dropped). */
  superseded?: boolean;
}

/** A poll's bounds while the source has more: pages, and time (the workflow then polls again at once). */
const POLL_PAGES = 100;
const POLL_MS = 5_000;

function lagSecondsOf(changes: ChangeEvent[], nowMs: number): number {
  let newest = Number.NEGATIVE_INFINITY;
  for (const c of changes) newest = Math.max(newest, Date.parse(c.occurredAt));
  if (!Number.isFinite(newest)) return 0;
  return Math.max(0, Math.round((nowMs - newest) / 1000));
}

/**
 * Thin adapters from the capture workflow to the connector's source and the Stream. A poll appends
 * its page and moves the cursor in one transaction, so a retried poll (or one run by a new worker
 * after a crash) either finds the cursor already moved or appends a page whose events the Stream's
 * unique key turns away: nothing is appended twice and nothing is lost.
 */
export function createCaptureActivities(deps: { pool: Pool; credentials: CredentialStore }) {
  const captures = new CapturesRepository(deps.pool);
  const stream = new StreamRepository(deps.pool);

  async function requireCapture(captureId: string): Promise<CaptureRow> {
    const capture = await captures.find(captureId);
    if (!capture) throw new ConnectorError({ kind: 'permanent', system: 'forgeworks', message: `capture ${captureId} no longer exists` });
    return capture;
  }

  async function sourceOf(capture: CaptureRow): Promise<SourceContract> {
    const { def, ctx } = await openConnection(deps, capture);
    return def.source(ctx);
  }

  /**
   * Appends one page and moves the cursor in one transaction; `capture` is the row the page was
   * read from. Answers what was appended, or that another attempt (or a stop) came first.
   */
  async function commitPage(capture: CaptureRow, page: CapturePage): Promise<PollResult & { cursorVersion?: number }> {
    return inTransaction(deps.pool, async (db) => {
      const current = await captures.lockForPoll(db, capture.id);
      if (!current || current.status === 'stopped') {
        return { appended: 0, hasMore: false, lagSeconds: 0, cursorSummary: summarizeCursor(capture.cursor), stopped: true };
      }
      if (current.cursorVersion !== capture.cursorVersion) {
        // Another attempt committed since this one read the cursor: its page supersedes ours.
        return { appended: 0, hasMore: true, lagSeconds: 0, cursorSummary: summarizeCursor(capture.cursor), stopped: false, superseded: true };
      }
      const appended = await stream.append(db, { tenantId: capture.tenantId, connectionId: capture.connectionId, captureId: capture.id }, page.changes);
      const cursorVersion = await captures.advanceCursor(db, capture.id, page.cursor, appended);
      return {
        appended, hasMore: page.hasMore, lagSeconds: lagSecondsOf(page.changes, Date.now()),
        cursorSummary: summarizeCursor(page.cursor), stopped: false, cursorVersion,
      };
    });
  }

  /**
   * One poll: pages read and committed one after another (each in its own transaction) while the
   * source has more, for up to POLL_PAGES pages or POLL_MS, so a backfill pays the activity's own
   * cost once per many pages instead of once per page. A poll fails only when its first page does.
   */
  async function pollCapture(captureId: string): Promise<PollResult> {
    return activityStep(async () => {
      let capture = await requireCapture(captureId);
      if (capture.status === 'stopped') return { appended: 0, hasMore: false, lagSeconds: 0, cursorSummary: summarizeCursor(capture.cursor), stopped: true };
      const source = await sourceOf(capture);
      const started = Date.now();
      let appended = 0;
      let committed: PollResult | undefined;
      for (let pages = 1; ; pages++) {
        let page: CapturePage;
        try {
          page = await source.capture(capture.object, capture.cursor ?? null);
        } catch (err) {
          // A page refused after others were committed ends the poll with those: the workflow counts
          // them and polls again at once, and that poll meets the refusal on its first page. Thrown
          // from here, their count was lost and a paced source (refused on every second page) spent
          // the activity's retries on polls that progressed, until the capture reported an error.
          if (committed) return { ...committed, hasMore: true };
          throw err;
        }
        const { superseded, cursorVersion, ...result } = await commitPage(capture, page);
        appended += result.appended;
        committed = { ...result, appended };
        const more = result.hasMore && !result.stopped && !superseded;
        // The worker shutting down (or the workflow cancelling) ends the poll at a page boundary: every page so far is committed.
        const stopping = Context.current().cancellationSignal.aborted;
        if (!more || cursorVersion === undefined || stopping || pages >= POLL_PAGES || Date.now() - started >= POLL_MS) return committed;
        capture = { ...capture, cursor: page.cursor, cursorVersion };
      }
    });
  }

  /** The workflow's view of the capture's status, with the error behind it (null clears, undefined keeps). */
  async function recordCaptureStatus(captureId: string, status: CaptureStatus, error?: { message: string; kind?: string } | null): Promise<void> {
    await activityStep(async () => {
      const recorded = error ? { message: redact(error.message), ...(error.kind ? { kind: error.kind } : {}), at: new Date().toISOString() } : error;
      await captures.setStatus(captureId, status, recorded === undefined ? undefined : redactValue(recorded));
    });
  }

  /** A poll failed for good after its retries (a transient cause): kept for GET /v1/captures/:id, polling goes on. */
  async function recordCaptureError(captureId: string, error: { message: string; kind?: string }): Promise<void> {
    await activityStep(() => captures.recordError(captureId, { message: redact(error.message), ...(error.kind ? { kind: error.kind } : {}), at: new Date().toISOString() }));
  }

  return { pollCapture, recordCaptureStatus, recordCaptureError };
}

export type CaptureActivities = ReturnType<typeof createCaptureActivities>;

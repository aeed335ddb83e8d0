import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { ChangeEvent, SourceContract } from '../src/connectors/contract';
import { buildConnectorContext } from '../src/connectors/context';
import { findConnector } from '../src/connectors/registry';
import { redact, redactValue } from '../src/platform/credentials/redact';
import type { CredentialStore } from '../src/platform/credentials/store';
import { inTransaction } from '../src/platform/db/pool';
import { CapturesRepository, type CaptureRow, type CaptureStatus } from '../src/platform/db/repositories/captures';
import { ConnectionsRepository } from '../src/platform/db/repositories/connections';
import { StreamRepository } from '../src/platform/db/repositories/stream';
import { ConnectorError, toTemporalFailure } from '../src/platform/errors';

export interface PollResult {
  /** Events new to the Stream (duplicates of earlier attempts or overlapping pages are not counted). */
  appended: number;
  /** The source has more right now: poll again at once. */
  hasMore: boolean;
  /** Now minus the newest change's occurredAt in this page; 0 when the page was empty (caught up). */
  lagSeconds: number;
  /** A short, printable view of the cursor after this poll (the cursor itself stays in Postgres). */
  cursorSummary: string;
  /** The capture was stopped meanwhile: nothing was appended and the workflow should end. */
  stopped: boolean;
}

const HEARTBEAT_EVERY_MS = 2_000;
const CURSOR_SUMMARY_LENGTH = 200;

export function summarizeCursor(cursor: unknown): string {
  const text = redact(JSON.stringify(cursor ?? null));
  return text.length > CURSOR_SUMMARY_LENGTH ? `${text.slice(0, CURSOR_SUMMARY_LENGTH)}…` : text;
}

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
  const connections = new ConnectionsRepository(deps.pool);
  const stream = new StreamRepository(deps.pool);

  async function requireCapture(captureId: string): Promise<CaptureRow> {
    const capture = await captures.find(captureId);
    if (!capture) throw new ConnectorError({ kind: 'permanent', system: 'forgeworks', message: `capture ${captureId} no longer exists` });
    return capture;
  }

  async function sourceOf(capture: CaptureRow): Promise<SourceContract> {
    const def = findConnector(capture.connector);
    if (!def) throw new ConnectorError({ kind: 'permanent', system: capture.connector, message: `connector ${capture.connector} is not installed` });
    const connection = await connections.findForTenant(capture.tenantId, capture.connectionId);
    if (!connection) {
      throw new ConnectorError({ kind: 'permanent', system: def.id, message: `connection ${capture.connectionId} no longer exists` });
    }
    const ctx = buildConnectorContext(def, { tenantId: capture.tenantId, connectionId: capture.connectionId, config: connection.config }, deps.credentials);
    return def.source(ctx);
  }

  /** Heartbeats while fn runs (a dead worker is noticed within the heartbeat timeout); errors become typed failures. */
  async function withHeartbeat<T>(fn: () => Promise<T>): Promise<T> {
    const context = Context.current();
    const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      return await fn();
    } catch (err) {
      throw toTemporalFailure(err);
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function pollCapture(captureId: string): Promise<PollResult> {
    return withHeartbeat(async () => {
      const capture = await requireCapture(captureId);
      if (capture.status === 'stopped') return { appended: 0, hasMore: false, lagSeconds: 0, cursorSummary: summarizeCursor(capture.cursor), stopped: true };
      const page = await (await sourceOf(capture)).capture(capture.object, capture.cursor ?? null);
      return inTransaction(deps.pool, async (db) => {
        const current = await captures.lockForPoll(db, captureId);
        if (!current || current.status === 'stopped') {
          return { appended: 0, hasMore: false, lagSeconds: 0, cursorSummary: summarizeCursor(capture.cursor), stopped: true };
        }
        if (current.cursorVersion !== capture.cursorVersion) {
          // Another attempt committed since this one read the cursor: its page supersedes ours.
          return { appended: 0, hasMore: true, lagSeconds: 0, cursorSummary: summarizeCursor(capture.cursor), stopped: false };
        }
        const appended = await stream.append(db, { tenantId: capture.tenantId, connectionId: capture.connectionId, captureId }, page.changes);
        await captures.advanceCursor(db, captureId, page.cursor, appended);
        return {
          appended, hasMore: page.hasMore, lagSeconds: lagSecondsOf(page.changes, Date.now()),
          cursorSummary: summarizeCursor(page.cursor), stopped: false,
        };
      });
    });
  }

  /** The workflow's view of the capture's status, with the error behind it (null clears, undefined keeps). */
  async function recordCaptureStatus(captureId: string, status: CaptureStatus, error?: { message: string; kind?: string } | null): Promise<void> {
    try {
      const recorded = error ? { message: redact(error.message), ...(error.kind ? { kind: error.kind } : {}), at: new Date().toISOString() } : error;
      await captures.setStatus(captureId, status, recorded === undefined ? undefined : redactValue(recorded));
    } catch (err) {
      throw toTemporalFailure(err);
    }
  }

  /** A poll failed for good after its retries (a transient cause): kept for GET /v1/captures/:id, polling goes on. */
  async function recordCaptureError(captureId: string, error: { message: string; kind?: string }): Promise<void> {
    try {
      await captures.recordError(captureId, { message: redact(error.message), ...(error.kind ? { kind: error.kind } : {}), at: new Date().toISOString() });
    } catch (err) {
      throw toTemporalFailure(err);
    }
  }

  return { pollCapture, recordCaptureStatus, recordCaptureError };
}

export type CaptureActivities = ReturnType<typeof createCaptureActivities>;

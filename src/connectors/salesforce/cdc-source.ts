import { z } from 'zod';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { ConnectorError, isConnectorError } from '../../platform/errors';
import { captureOptions, keysetPositionSchema, parseCursor as parseKitCursor, type KeysetPosition } from '../kit';
import type { SalesforceApi } from './api';
import { changeEventsOf, maybeBackfilled } from './change-events';
import { SYSTEM } from './errors';
import { salesforceObject } from './objects';
import { SETTLE_MS, salesforceSource, type SalesforceSourceOptions } from './source';
import { REPLAY_ALL, type StreamingClient } from './streaming';

/**
 * Capture through Change Data Capture (Change Data Capture Developer Guide, API 62.0), for objects
 * the org has selected for change events (connection config `changeDataCapture: true`).
 *
 * A cursor is in one of two phases:
 * - backfill `{ backfill: {at, id}, fallbacks }`: the keyset poll on SystemModstamp (source.ts),
 *   until a page comes back short, i.e. it has caught up to its settle margin. Then it hands over.
 * - change events `{ replayId, at, backfilledTo, fallbacks }`: each call handshakes, subscribes to
 *   /data/<Entity>ChangeEvent after `replayId`, long-polls once for at most `longPollMs`, and
 *   disconnects. `at` is the newest commitTimestamp seen (where a fallback resumes).
 *
 * The handover replays every retained event (-2) and skips those committed more than the settle
 * margin before `backfilledTo`, the backfill's last position (SystemModstamp). The backfill read
 * each second at least the settle margin after it ended, so a change committed before its last
 * position was visible to it (the same argument the poll relies on); a change it missed commits
 * later, and its event is kept. Events of the backfill's own seconds take the poll's version
 * (change-events.ts), so the Stream keeps one of the two.
 *
 * A replayId past the retention window (72 hours; the Streaming API's 400 "The replayId ... was
 * invalid") falls back to the backfill from `at` minus the settle margin and hands over again;
 * so does an overflow event (GAP_OVERFLOW: a transaction's changes beyond 100,000, without record
 * ids), from the newest commit seen before it. `fallbacks` counts them in the cursor (GET /v1/captures/:id shows it
 * in the cursor summary).
 */
export interface CdcSourceOptions extends SalesforceSourceOptions {
  /** How long one capture call waits for a change when none is waiting. Default 3 s. */
  longPollMs?: number;
}

export const DEFAULT_LONG_POLL_MS = 3_000;

const backfillCursorSchema = z.object({ backfill: keysetPositionSchema, fallbacks: z.number().int().nonnegative().default(0) });
const eventsCursorSchema = z.object({
  replayId: z.number().int().min(REPLAY_ALL),
  at: z.number().int().nonnegative(),
  backfilledTo: z.number().int().nonnegative().default(0),
  fallbacks: z.number().int().nonnegative().default(0),
});
/** A poll-mode cursor ({at, id}) from before the connection turned Change Data Capture on: backfill from there. */
const cursorSchema = z.union([eventsCursorSchema, backfillCursorSchema, keysetPositionSchema.transform((backfill) => ({ backfill, fallbacks: 0 }))]);

export type BackfillCursor = z.infer<typeof backfillCursorSchema>;
export type EventsCursor = z.infer<typeof eventsCursorSchema>;
export type CdcCursor = BackfillCursor | EventsCursor;

export function salesforceCdcSource(api: SalesforceApi, streaming: StreamingClient, options: CdcSourceOptions = {}): SourceContract {
  const keyset = salesforceSource(api, options);
  const { budget } = captureOptions(options, SETTLE_MS);
  const longPollMs = options.longPollMs ?? DEFAULT_LONG_POLL_MS;

  async function backfill(object: string, cursor: BackfillCursor): Promise<CapturePage> {
    const page = await keyset.capture(object, cursor.backfill);
    const position = page.cursor as KeysetPosition;
    if (page.hasMore) return { ...page, cursor: { backfill: position, fallbacks: cursor.fallbacks } };
    const handover: EventsCursor = { replayId: REPLAY_ALL, at: position.at, backfilledTo: position.at, fallbacks: cursor.fallbacks };
    // hasMore: the next call, at once, reads the change events.
    return { changes: page.changes, cursor: handover, hasMore: true };
  }

  async function changeEvents(object: string, cursor: EventsCursor): Promise<CapturePage> {
    const channel = `/data/${changeEventName(object)}`;
    const session = await streaming.handshake();
    let delivered;
    try {
      await streaming.subscribe(session, channel, cursor.replayId);
      delivered = await streaming.poll(session, longPollMs);
    } catch (err) {
      if (isConnectorError(err) && err.code === 'REPLAY_ID_UNAVAILABLE') return { changes: [], cursor: fallback(cursor, cursor.at), hasMore: true };
      if (isConnectorError(err) && err.code === 'UNKNOWN_CHANNEL') throw notSelected(object, err);
      throw err;
    } finally {
      await streaming.disconnect(session);
    }
    // An overflow within the backfill's own seconds was read by it (its records were stamped no later than its commit).
    const overflow = delivered.findIndex((e) => e.payload.ChangeEventHeader.changeType === 'GAP_OVERFLOW' && !maybeBackfilled(e, cursor.backfilledTo));
    const taken = delivered.slice(0, Math.min(budget, overflow === -1 ? Infinity : overflow));
    const kept = taken.filter((e) => e.payload.ChangeEventHeader.commitTimestamp >= cursor.backfilledTo - SETTLE_MS);
    const changes: ChangeEvent[] = await changeEventsOf(api, object, kept, cursor.backfilledTo);
    if (overflow !== -1 && taken.length === overflow) {
      // The overflowed records were stamped while their (long) transaction ran, before its commit:
      // the backfill starts from the newest commit seen before it.
      return { changes, cursor: fallback(cursor, Math.min(cursor.at, delivered[overflow].payload.ChangeEventHeader.commitTimestamp)), hasMore: true };
    }
    const last = taken[taken.length - 1];
    if (!last) return { changes: [], cursor, hasMore: false };
    const at = Math.max(cursor.at, ...taken.map((e) => e.payload.ChangeEventHeader.commitTimestamp));
    return { changes, cursor: { ...cursor, replayId: last.replayId, at }, hasMore: delivered.length > taken.length };
  }

  return {
    async capture(object, cursor): Promise<CapturePage> {
      salesforceObject(object);
      const parsed = parseCdcCursor(cursor);
      return 'backfill' in parsed ? backfill(object, parsed) : changeEvents(object, parsed);
    },
  };
}

/** Back to the backfill, from `at` (a commitTimestamp) minus the settle margin. */
function fallback(cursor: EventsCursor, at: number): BackfillCursor {
  return { backfill: { at: Math.max(0, at - SETTLE_MS), id: '' }, fallbacks: cursor.fallbacks + 1 };
}

export function parseCdcCursor(cursor: unknown): CdcCursor {
  return parseKitCursor(SYSTEM, cursorSchema, cursor, () => ({ backfill: { at: 0, id: '' }, fallbacks: 0 }));
}

/** The single-entity channel's event name: Account -> AccountChangeEvent, Invoice__c -> Invoice__ChangeEvent. */
export function changeEventName(object: string): string {
  return object.endsWith('__c') ? `${object.slice(0, -3)}__ChangeEvent` : `${object}ChangeEvent`;
}

function notSelected(object: string, cause: ConnectorError): ConnectorError {
  return new ConnectorError({
    kind: 'permanent', system: SYSTEM, status: cause.status, code: cause.code,
    message: `salesforce: ${object} is not selected for Change Data Capture in this org (${cause.message}); select it in Setup > Change Data Capture, or turn changeDataCapture off for this connection`,
  });
}

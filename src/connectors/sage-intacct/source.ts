import { z } from 'zod';
import type { CapturePage, ChangeEvent, ObjectSpec, SourceContract } from '../contract';
import {
  byPosition, captureOptions, comparePositions, KEYSET_START, keysetPositionSchema, mergeStreams, parseCursor, settledUntil,
  type CaptureOptions, type KeysetPosition, type Positioned,
} from '../kit';
import type { IntacctApi, Row } from './api';
import { SYSTEM } from './errors';
import { auditObjectType, ID, intacctObject } from './objects';
import { epochOfIntacct, intacctTime, quoted, toRecord } from './records';

/**
 * Creates and updates from the object itself, `readByQuery` on WHENMODIFIED (paged with readMore);
 * deletes from the audit trail, AUDITHISTORY rows with ACCESSMODE 'Deleted' and the object's
 * OBJECTTYPE (https://developer.intacct.com/api/company-console/audit-trails/): Intacct keeps no
 * tombstones on the objects themselves, and the audit trail is the one place the XML API shows a
 * delete. Each stream keeps its own keyset position (kit/keyset-cursor.ts). Both stamps have
 * whole-second precision, so each poll reads again from the start of the second it stopped in
 * (`>=`) and drops what it already emitted there.
 *
 * Settle margin: only seconds that ended SETTLE_MS ago are read, for writes stamped before they
 * commit. Query date-times are read in the Web Services user's time zone: that user must be on
 * GMT (NOTES.md).
 */
export const SETTLE_MS = 2_000;
const AUDIT = 'AUDITHISTORY';

export interface SageIntacctCursor {
  rows: KeysetPosition;
  deletes: KeysetPosition;
}

const cursorSchema = z.object({ rows: keysetPositionSchema, deletes: keysetPositionSchema });

export function sageIntacctSource(api: IntacctApi, options: CaptureOptions = {}): SourceContract {
  const { budget, settleMs, now } = captureOptions(options, SETTLE_MS);
  return {
    async capture(object, raw): Promise<CapturePage> {
      const spec = intacctObject(object);
      const cursor = parseCursor(SYSTEM, cursorSchema, raw, () => ({ rows: KEYSET_START, deletes: KEYSET_START }));
      const until = settledUntil(now(), settleMs, 1000);
      const rows = await since(cursor.rows, until, budget, (lower, upper) => api.query(spec.name, `WHENMODIFIED >= ${lower} AND WHENMODIFIED <= ${upper}`, spec.fields.map((f) => f.name)),
        (row) => ({ at: epochOfIntacct(row.WHENMODIFIED), id: String(row[ID]) }));
      const deletes = await since(cursor.deletes, until, budget,
        (lower, upper) => api.query(AUDIT, `OBJECTTYPE = ${quoted(auditObjectType(spec))} AND ACCESSMODE = 'Deleted' AND ACCESSTIME >= ${lower} AND ACCESSTIME <= ${upper}`,
          ['OBJECTKEY', 'ACCESSTIME', 'ACCESSMODE']),
        (row) => ({ at: epochOfIntacct(row.ACCESSTIME), id: String(row.OBJECTKEY) }));
      const merged = mergeStreams({
        rows: { from: cursor.rows, caughtUp: rows.caughtUp, changes: rows.changes.map((c) => ({ position: c.position, event: upsertOf(spec, c.event) })) },
        deletes: { from: cursor.deletes, caughtUp: deletes.caughtUp, changes: deletes.changes.map((c) => ({ position: c.position, event: deleteOf(spec.name, c.event) })) },
      }, budget);
      return { changes: merged.changes, cursor: merged.positions satisfies SageIntacctCursor, hasMore: merged.hasMore };
    },
  };
}

/**
 * The rows stamped in [from's second, until] ('MM/DD/YYYY HH:MM:SS', quoted, for `read` to put in
 * its query), after `from` in keyset order, at most `budget`.
 */
async function since(from: KeysetPosition, until: number, budget: number, read: (lower: string, upper: string) => Promise<Row[]>,
  positionOf: (row: Row) => KeysetPosition): Promise<{ changes: Positioned<Row>[]; caughtUp: boolean }> {
  if (until < from.at) return { changes: [], caughtUp: true };
  const rows = await read(quoted(intacctTime(from.at)), quoted(intacctTime(until)));
  const changes = rows
    .map((row) => ({ position: positionOf(row), event: row }))
    .filter((c) => comparePositions(c.position, from) > 0 && c.position.at <= until)
    .sort(byPosition);
  return { changes: changes.slice(0, budget), caughtUp: changes.length <= budget };
}

function upsertOf(spec: ObjectSpec, row: Row): ChangeEvent {
  const occurredAt = new Date(epochOfIntacct(row.WHENMODIFIED)).toISOString();
  return { object: spec.name, recordId: String(row[ID]), op: 'upsert', occurredAt, version: `${occurredAt}/0-upsert`, data: toRecord(spec, row) };
}

function deleteOf(object: string, audit: Row): ChangeEvent {
  const occurredAt = new Date(epochOfIntacct(audit.ACCESSTIME)).toISOString();
  return { object, recordId: String(audit.OBJECTKEY), op: 'delete', occurredAt, version: `${occurredAt}/1-deleted`, data: null };
}

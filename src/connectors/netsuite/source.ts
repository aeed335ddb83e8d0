import { z } from 'zod';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import {
  byPosition, captureOptions, KEYSET_START, keysetPositionSchema, parseCursor, settledUntil, type CaptureOptions, type KeysetPosition, type Positioned,
} from '../kit';
import type { NetSuiteApi } from './api';
import { SYSTEM } from './errors';
import { ID_FIELD, netsuiteObject, type NetSuiteObject } from './objects';
import { fromWhere, rowToRecord, selectList, suiteqlDateTime, suiteqlString } from './suiteql';
import { fromWallClock, isoSeconds, SUITEQL_DATETIME } from './time-zone';

/**
 * lastmodifieddate and deleteddate have whole seconds, and SuiteQL reads NetSuite's analytics data
 * source, which can show a commit a moment after its stamp: only seconds that ended at least this
 * long ago are read, so a change cannot appear behind the cursor.
 */
export const SETTLE_MS = 10_000;

/** Two keyset positions: over (lastmodifieddate, id) of the records, and (deleteddate, recordid) of the deletion log. */
export interface NetSuiteCursor {
  changes: KeysetPosition;
  deletes: KeysetPosition;
}

const cursorSchema = z.object({ changes: keysetPositionSchema, deletes: keysetPositionSchema });

export interface NetSuiteSourceOptions extends CaptureOptions {
  timeZone: string;
}

type Tagged = Positioned<{ stream: keyof NetSuiteCursor; change: ChangeEvent }>;

/**
 * Capture through SuiteQL, two keyset reads per poll up to the settled second:
 * - creates and updates: the object's table WHERE (lastmodifieddate, id) after the cursor, ORDER BY
 *   lastmodifieddate, id — every body field, as an upsert (sublists are not in SuiteQL: not captured);
 * - deletes: the `deletedrecord` table (NetSuite's deletion log, what SOAP getDeleted reads) WHERE
 *   type = the record type, keyed by (deleteddate, recordid) — a delete event each. The role needs
 *   the "Deleted Records" permission; records deleted before NetSuite logs them (or whose type it
 *   does not log) are not seen.
 * Both are merged in time order and cut to the poll's budget; each position moves to the last change
 * of its own stream that was emitted.
 *
 * Time zones: SuiteQL shows date-times in the user's time zone preference (config.timeZone). In the
 * hour a daylight-saving change repeats, wall-clock times are ambiguous and changes of the later
 * occurrence read as an hour earlier: set the integration user's preference to GMT to avoid it.
 */
export function netsuiteSource(api: NetSuiteApi, options: NetSuiteSourceOptions): SourceContract {
  const { budget, settleMs, now } = captureOptions(options, SETTLE_MS);
  const zone = options.timeZone;

  return {
    async capture(object, raw): Promise<CapturePage> {
      const target = netsuiteObject(object);
      const cursor = parseCursor(SYSTEM, cursorSchema, raw, () => ({ changes: KEYSET_START, deletes: KEYSET_START }));
      const until = settledUntil(now(), settleMs, 1000);
      const upserts = until < cursor.changes.at ? { rows: [], full: false } : await readUpserts(api, target, cursor.changes, until, budget, zone);
      const deletes = until < cursor.deletes.at ? { rows: [], full: false } : await readDeletes(api, target, cursor.deletes, until, budget, zone);
      const merged = [...upserts.rows, ...deletes.rows].sort(byPosition);
      const kept = merged.slice(0, budget);
      const last = (stream: keyof NetSuiteCursor) => kept.filter((t) => t.event.stream === stream).at(-1)?.position ?? cursor[stream];
      return {
        changes: kept.map((t) => t.event.change),
        cursor: { changes: last('changes'), deletes: last('deletes') } satisfies NetSuiteCursor,
        hasMore: merged.length > budget || upserts.full || deletes.full,
      };
    },
  };
}

/** (column, idColumn) after the position: the rest of its second by id, then every later second. */
function after(column: string, idColumn: string, from: KeysetPosition, zone: string): string {
  const at = suiteqlDateTime(from.at, zone);
  if (from.id === '') return `${column} >= ${at}`;
  return `(${column} > ${at} OR (${column} = ${at} AND ${idColumn} > ${Number(from.id)}))`;
}

async function readUpserts(api: NetSuiteApi, target: NetSuiteObject, from: KeysetPosition, until: number, budget: number,
  zone: string): Promise<{ rows: Tagged[]; full: boolean }> {
  const q = `SELECT ${selectList(target)} ${fromWhere(target, [after('lastmodifieddate', 'id', from, zone), `lastmodifieddate <= ${suiteqlDateTime(until, zone)}`])}`
    + ' ORDER BY lastmodifieddate ASC, id ASC';
  const rows = await api.suiteqlAll(q, budget);
  return {
    full: rows.length >= budget,
    rows: rows.map((row): Tagged => {
      const record = rowToRecord(target, row, zone);
      const occurredAt = String(record.lastModifiedDate);
      const id = String(record[ID_FIELD]);
      return {
        position: { at: Date.parse(occurredAt), id },
        event: { stream: 'changes', change: { object: target.spec.name, recordId: id, op: 'upsert', occurredAt, version: occurredAt, data: record } },
      };
    }),
  };
}

async function readDeletes(api: NetSuiteApi, target: NetSuiteObject, from: KeysetPosition, until: number, budget: number,
  zone: string): Promise<{ rows: Tagged[]; full: boolean }> {
  const q = `SELECT recordid, TO_CHAR(deleteddate, '${SUITEQL_DATETIME}') AS deleteddate FROM deletedrecord`
    + ` WHERE type = ${suiteqlString(target.deletedType)} AND ${after('deleteddate', 'recordid', from, zone)} AND deleteddate <= ${suiteqlDateTime(until, zone)}`
    + ' ORDER BY deleteddate ASC, recordid ASC';
  const rows = await api.suiteqlAll(q, budget);
  return {
    full: rows.length >= budget,
    rows: rows.flatMap((row): Tagged[] => {
      const at = fromWallClock(String(row.deleteddate ?? ''), zone);
      if (at === undefined) return [];
      const occurredAt = isoSeconds(at);
      const id = String(row.recordid);
      // '/deleted' sorts after an upsert stamped the same second: the delete stays the newer version.
      return [{ position: { at, id }, event: { stream: 'deletes', change: { object: target.spec.name, recordId: id, op: 'delete', occurredAt, version: `${occurredAt}/deleted`, data: null } } }];
    }),
  };
}

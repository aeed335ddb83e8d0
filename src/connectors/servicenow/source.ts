import { z } from 'zod';
import type { CapturePage, ChangeEvent, ObjectSpec, SourceContract } from '../contract';
import {
  byPosition, captureOptions, comparePositions, KEYSET_START, keysetPositionSchema, mergeStreams, parseCursor, settledUntil,
  type CaptureOptions, type KeysetPosition, type Positioned,
} from '../kit';
import { PAGE_LIMIT, type Row, type ServiceNowApi } from './api';
import { SYSTEM } from './errors';
import { ID, servicenowObject } from './objects';
import { columns } from './reader';
import { toRecord } from './records';

/**
 * Creates and updates from the table itself ordered by (sys_updated_on, sys_id); deletes from
 * Audit Deleted Records (sys_audit_delete, tablename = the table) ordered by (sys_created_on,
 * sys_id). Each stream keeps its own keyset position (kit/keyset-cursor.ts). sys_updated_on has
 * whole-second precision, so each poll reads again from the start of the second it stopped in
 * (`>=`) and drops what it already emitted there (same second, sys_id not after the position).
 *
 * Settle margin: sys_updated_on is stamped when the transaction writes the row, which may commit
 * later; only seconds that ended SETTLE_MS ago are read. The encoded query's date-times are read in
 * the integration user's time zone: that user must be on GMT (NOTES.md).
 */
export const SETTLE_MS = 3_000;
const AUDIT_DELETE = 'sys_audit_delete';

export interface ServiceNowCursor {
  rows: KeysetPosition;
  deletes: KeysetPosition;
}

const cursorSchema = z.object({ rows: keysetPositionSchema, deletes: keysetPositionSchema });

export function servicenowSource(api: ServiceNowApi, options: CaptureOptions = {}): SourceContract {
  const { budget, settleMs, now } = captureOptions(options, SETTLE_MS);
  return {
    async capture(object, raw): Promise<CapturePage> {
      const spec = servicenowObject(object);
      const cursor = parseCursor(SYSTEM, cursorSchema, raw, () => ({ rows: KEYSET_START, deletes: KEYSET_START }));
      const until = settledUntil(now(), settleMs, 1000);
      const [rows, deletes] = await Promise.all([
        since(api, spec.name, 'sys_updated_on', cursor.rows, until, budget, columns(spec, ID, ['sys_updated_on', 'sys_mod_count'])),
        since(api, AUDIT_DELETE, 'sys_created_on', cursor.deletes, until, budget, ['sys_id', 'documentkey', 'sys_created_on'], `tablename=${spec.name}`),
      ]);
      const merged = mergeStreams({
        rows: { from: cursor.rows, caughtUp: rows.caughtUp, changes: rows.changes.map((c) => ({ position: c.position, event: upsertOf(spec, c.event) })) },
        deletes: { from: cursor.deletes, caughtUp: deletes.caughtUp, changes: deletes.changes.map((c) => ({ position: c.position, event: deleteOf(spec.name, c.event) })) },
      }, budget);
      return { changes: merged.changes, cursor: merged.positions satisfies ServiceNowCursor, hasMore: merged.hasMore };
    },
  };
}

/** The rows of `table` after `from` and stamped no later than `until`, in keyset order, at most `budget`. */
async function since(api: ServiceNowApi, table: string, stamp: string, from: KeysetPosition, until: number, budget: number, fields: string[] | undefined,
  filter?: string): Promise<{ changes: Positioned<Row>[]; caughtUp: boolean }> {
  if (until < from.at) return { changes: [], caughtUp: true };
  const query = [filter, `${stamp}>=${snTime(from.at)}`, `${stamp}<=${snTime(until)}`, `ORDERBY${stamp}`, `ORDERBY${ID}`].filter(Boolean).join('^');
  // Rows of the resumed second already emitted come back again: read past them.
  const max = budget + PAGE_LIMIT;
  const rows = await api.list(table, { query, fields, max });
  const changes = rows
    .map((row) => ({ position: { at: epochOf(row[stamp]), id: String(row[ID]) }, event: row }))
    .filter((c) => comparePositions(c.position, from) > 0)
    .sort(byPosition);
  return { changes: changes.slice(0, budget), caughtUp: rows.length < max && changes.length <= budget };
}

function upsertOf(spec: ObjectSpec, row: Row): ChangeEvent {
  const occurredAt = new Date(epochOf(row.sys_updated_on)).toISOString();
  // Same-second updates of one record are told apart by sys_mod_count; '1-' sorts deletes of that second after them.
  return { object: spec.name, recordId: String(row[ID]), op: 'upsert', occurredAt, version: `${occurredAt}/0-${String(row.sys_mod_count ?? '0').padStart(10, '0')}`, data: toRecord(spec, row) };
}

function deleteOf(object: string, audit: Row): ChangeEvent {
  const occurredAt = new Date(epochOf(audit.sys_created_on)).toISOString();
  return { object, recordId: String(audit.documentkey), op: 'delete', occurredAt, version: `${occurredAt}/1-deleted`, data: null };
}

/** "YYYY-MM-DD HH:mm:ss" (UTC) <-> epoch ms. */
export function snTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function epochOf(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(`${value.replace(' ', 'T')}Z`) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

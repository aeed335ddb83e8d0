import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { captureOptions, KEYSET_START, type CaptureOptions, keysetPositionSchema, parseCursor as parseKitCursor, settledUntil, type KeysetPosition } from '../kit';
import type { SalesforceApi, SObjectRecord } from './api';
import { SYSTEM } from './errors';
import { ID_FIELD, salesforceObject } from './objects';
import { flatten } from './records';
import { soqlDateTime, soqlName, soqlString } from './soql';

/**
 * SystemModstamp has whole-second precision and a transaction's changes can become visible after
 * it: only seconds that ended at least this long ago are read, so none is read half-written.
 */
export const SETTLE_MS = 5_000;

/** The capture cursor: the kit's keyset position over (SystemModstamp, Id); `at` in whole seconds. */
export type SalesforceCursor = KeysetPosition;

export type SalesforceSourceOptions = CaptureOptions;

/**
 * Creates, updates and deletes from one keyset query on queryAll (which includes the recycle bin):
 *   WHERE (SystemModstamp > at OR (SystemModstamp = at AND Id > id)) AND SystemModstamp <= until
 *   ORDER BY SystemModstamp, Id
 * A delete stamps SystemModstamp and sets IsDeleted, so deleted rows arrive in the same order as
 * the rest and become delete events. Records purged from the recycle bin before a poll (15 days, or
 * emptied) are missed: polls must run more often than that.
 */
export function salesforceSource(api: SalesforceApi, options: SalesforceSourceOptions = {}): SourceContract {
  const { budget, settleMs, now } = captureOptions(options, SETTLE_MS);

  return {
    async capture(object, cursor): Promise<CapturePage> {
      const name = salesforceObject(object).name;
      const from = parseCursor(cursor);
      const until = settledUntil(now(), settleMs, 1000);
      if (until < from.at) return { changes: [], cursor: from, hasMore: false };
      const fields = await captureFields(api, name);
      const soql = `SELECT ${fields.map(soqlName).join(', ')} FROM ${soqlName(name)}`
        + ` WHERE ${after(from)}`
        + ` AND SystemModstamp <= ${soqlDateTime(until)} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${budget}`;
      const rows = await api.queryAll(soql, { includeDeleted: true });
      const changes = rows.map((row) => changeOf(name, row));
      const last = rows[rows.length - 1];
      const next: SalesforceCursor = last ? { at: Date.parse(changes[changes.length - 1].occurredAt), id: String(last[ID_FIELD]) } : from;
      return { changes, cursor: next, hasMore: rows.length >= budget };
    },
  };
}

/** What comes after the position: the rest of its second by Id, then every later second. */
function after(from: SalesforceCursor): string {
  const at = soqlDateTime(from.at);
  if (from.id === '') return `SystemModstamp >= ${at}`;
  return `(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${soqlString(from.id)}))`;
}

/** Every field describe lists, with the ones a change is read by. */
export async function captureFields(api: SalesforceApi, object: string): Promise<string[]> {
  const described = (await api.describe(object)).fields.map((f) => f.name);
  return [...new Set([ID_FIELD, 'SystemModstamp', 'IsDeleted', ...described])];
}

/** A row of the keyset query (or of a read by Id) as the poll emits it: its version is its SystemModstamp. */
export function changeOf(object: string, row: SObjectRecord): ChangeEvent {
  const at = Date.parse(String(row.SystemModstamp).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  const occurredAt = new Date(at).toISOString();
  const deleted = row.IsDeleted === true;
  return {
    object,
    recordId: String(row[ID_FIELD]),
    op: deleted ? 'delete' : 'upsert',
    occurredAt,
    // '/deleted' sorts after '/upsert': a delete stamped the same second as the last update stays the newer version.
    version: `${occurredAt}/${deleted ? 'deleted' : 'upsert'}`,
    data: deleted ? null : flatten(row),
  };
}

export function parseCursor(cursor: unknown): SalesforceCursor {
  return parseKitCursor(SYSTEM, keysetPositionSchema, cursor, () => KEYSET_START);
}

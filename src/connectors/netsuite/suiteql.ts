import { ConnectorError } from '../../platform/errors';
import type { Rec } from '../contract';
import { SYSTEM } from './errors';
import { ID_FIELD, type NetSuiteObject } from './objects';
import { fromWallClock, isoSeconds, SUITEQL_DATETIME, toWallClock } from './time-zone';

/** Building SuiteQL safely, and reading its rows back into the record service's shape. */

/** A string literal: single quotes doubled (SQL-92). */
export function suiteqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** An internal id literal (a whole number); anything else cannot name a record. */
export function suiteqlId(value: string): string | undefined {
  return /^\d{1,18}$/.test(value.trim()) ? value.trim() : undefined;
}

/** A date-time literal: the wall-clock time of `epochMs` in the user's time zone, through TO_DATE. */
export function suiteqlDateTime(epochMs: number, timeZone: string): string {
  return `TO_DATE('${toWallClock(epochMs, timeZone)}', '${SUITEQL_DATETIME}')`;
}

/** The columns of the object's body fields, dates through TO_CHAR (SuiteQL's default shows M/D/YYYY, without the time). */
export function selectList(target: NetSuiteObject): string {
  return target.fields.flatMap((f) => {
    if (!f.column) return [];
    if (f.kind === 'date') return [`TO_CHAR(${f.column}, 'YYYY-MM-DD') AS ${f.column}`];
    if (f.kind === 'datetime') return [`TO_CHAR(${f.column}, '${SUITEQL_DATETIME}') AS ${f.column}`];
    return [f.column];
  }).join(', ');
}

/** FROM and the conditions every query of the object starts with (transactions: the type). */
export function fromWhere(target: NetSuiteObject, conditions: string[]): string {
  const all = [...(target.tranType ? [`type = ${suiteqlString(target.tranType)}`] : []), ...conditions];
  return `FROM ${target.table}${all.length > 0 ? ` WHERE ${all.join(' AND ')}` : ''}`;
}

/**
 * A SuiteQL row as a record: columns back to field names, 'T'/'F' to booleans, reference ids to
 * { id }, date-times from the user's time zone to UTC. SuiteQL leaves empty columns out: they are null.
 */
export function rowToRecord(target: NetSuiteObject, row: Record<string, unknown>, timeZone: string): Rec {
  const record: Rec = {};
  for (const f of target.fields) {
    if (!f.column) continue;
    const value = row[f.column];
    if (value === undefined || value === null || value === '') {
      record[f.name] = null;
    } else if (f.name === ID_FIELD) {
      record[f.name] = String(value);
    } else if (f.kind === 'boolean') {
      record[f.name] = value === 'T' || value === true;
    } else if (f.kind === 'ref') {
      record[f.name] = { id: String(value) };
    } else if (f.kind === 'number') {
      record[f.name] = Number(value);
    } else if (f.kind === 'datetime') {
      const at = fromWallClock(String(value), timeZone);
      if (at === undefined) throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `netsuite answered ${f.column} as ${String(value)}, not ${SUITEQL_DATETIME}` });
      record[f.name] = isoSeconds(at);
    } else {
      record[f.name] = String(value);
    }
  }
  return record;
}

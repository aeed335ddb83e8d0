import { ConnectorError } from '../../platform/errors';
import type { Rec } from '../contract';
import { IDENTIFIER } from './config';
import { SYSTEM } from './errors';
import type { Statement } from './sql-api';
import { bindOf } from './values';

/**
 * The statements the connector sends, many rows each. Table and column names are checked
 * identifiers, quoted; every value is a `?` bind. The source rows of MERGE and UPDATE are a
 * `SELECT ? AS "C", ... UNION ALL SELECT ?, ...` so one statement carries a whole batch.
 */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new ConnectorError({ kind: 'validation', system: SYSTEM, fields: [{ field: name, message: 'not an unquoted Snowflake identifier in upper case' }], message: `snowflake: ${JSON.stringify(name)} is not a column name this connector can write` });
  }
  return `"${name}"`;
}

export function selectByKeys(table: string, keyColumn: string, keys: string[]): Statement {
  return { sql: `SELECT * FROM ${ident(table)} WHERE ${ident(keyColumn)} IN (${keys.map(() => '?').join(', ')})`, binds: keys.map(bindOf) };
}

export function insertRows(table: string, columns: string[], records: Rec[]): Statement {
  return {
    sql: `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES ${records.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`,
    binds: records.flatMap((r) => columns.map((c) => bindOf(r[c]))),
  };
}

/** `SELECT ? AS "A", ? AS "B" UNION ALL SELECT ?, ? ...`: the batch as a source relation. */
function sourceRows(columns: string[], records: Rec[]): Statement {
  const first = `SELECT ${columns.map((c) => `? AS ${ident(c)}`).join(', ')}`;
  const rest = `SELECT ${columns.map(() => '?').join(', ')}`;
  return {
    sql: records.map((_, i) => (i === 0 ? first : rest)).join(' UNION ALL '),
    binds: records.flatMap((r) => columns.map((c) => bindOf(r[c]))),
  };
}

export function updateRows(table: string, keyColumn: string, columns: string[], records: Rec[]): Statement {
  const source = sourceRows([keyColumn, ...columns], records);
  const set = columns.map((c) => `${ident(c)} = S.${ident(c)}`).join(', ');
  return { sql: `UPDATE ${ident(table)} SET ${set} FROM (${source.sql}) AS S WHERE ${ident(table)}.${ident(keyColumn)} = S.${ident(keyColumn)}`, binds: source.binds };
}

export function mergeRows(table: string, keyColumn: string, columns: string[], records: Rec[]): Statement {
  const all = [keyColumn, ...columns];
  const source = sourceRows(all, records);
  const update = columns.length > 0 ? ` WHEN MATCHED THEN UPDATE SET ${columns.map((c) => `${ident(c)} = S.${ident(c)}`).join(', ')}` : '';
  return {
    sql: `MERGE INTO ${ident(table)} USING (${source.sql}) AS S ON ${ident(table)}.${ident(keyColumn)} = S.${ident(keyColumn)}${update}`
      + ` WHEN NOT MATCHED THEN INSERT (${all.map(ident).join(', ')}) VALUES (${all.map((c) => `S.${ident(c)}`).join(', ')})`,
    binds: source.binds,
  };
}

export function deleteByKeys(table: string, keyColumn: string, keys: string[]): Statement {
  return { sql: `DELETE FROM ${ident(table)} WHERE ${ident(keyColumn)} IN (${keys.map(() => '?').join(', ')})`, binds: keys.map(bindOf) };
}

export const currentTimestamp: Statement = { sql: 'SELECT CURRENT_TIMESTAMP() AS "NOW"', binds: [] };

/** Net changes between two instants (both bound, TIMESTAMP_LTZ). */
export function changesBetween(table: string, from: string, to: string): Statement {
  return {
    sql: `SELECT * FROM ${ident(table)} CHANGES(INFORMATION => DEFAULT) AT(TIMESTAMP => ?::TIMESTAMP_LTZ) END(TIMESTAMP => ?::TIMESTAMP_LTZ)`,
    binds: [bindOf(from), bindOf(to)],
  };
}

/** Rows whose updated-at column passed (at, lastKey), in (updated-at, key) order: a keyset page. */
export function updatedSince(table: string, column: string, keyColumn: string, after: { at: string; key: string | null }, limit: number): Statement {
  const [u, k] = [ident(column), ident(keyColumn)];
  const where = after.key === null ? `${u} > ?::TIMESTAMP_NTZ` : `(${u} > ?::TIMESTAMP_NTZ OR (${u} = ?::TIMESTAMP_NTZ AND ${k} > ?))`;
  return {
    sql: `SELECT * FROM ${ident(table)} WHERE ${where} ORDER BY ${u}, ${k} LIMIT ${limit}`,
    binds: after.key === null ? [bindOf(after.at)] : [bindOf(after.at), bindOf(after.at), bindOf(after.key)],
  };
}

import type { Bind } from './sql-api';

/** A column of resultSetMetaData.rowType. */
export interface ColumnMeta {
  name: string;
  type: string;
  scale?: number;
}

/**
 * A jsonv2 value (always a string) as a record value: FIXED with scale 0 and REAL as numbers,
 * BOOLEAN as booleans, TIMESTAMP_NTZ/LTZ (seconds since the epoch, nine decimals) as ISO 8601 with
 * microseconds (no zone for NTZ, Z for LTZ), DATE (days since the epoch) as YYYY-MM-DD, the rest as text.
 */
export function fromSnowflake(value: string | null, column: ColumnMeta): unknown {
  if (value === null) return null;
  switch (column.type.toLowerCase()) {
    case 'fixed': return (column.scale ?? 0) === 0 && Number.isSafeInteger(Number(value)) ? Number(value) : value;
    case 'real': return Number(value);
    case 'boolean': return value === 'true';
    case 'timestamp_ntz': return isoOfEpoch(value, '');
    case 'timestamp_ltz': return isoOfEpoch(value, 'Z');
    case 'date': return new Date(Number(value) * 86_400_000).toISOString().slice(0, 10);
    default: return value;
  }
}

/** "1796060000.123456000" -> "2026-11-30T17:33:20.123456" (+ zone suffix). */
export function isoOfEpoch(epoch: string, zone: string): string {
  const [seconds, fraction = ''] = epoch.split(' ')[0].split('.');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction.padEnd(6, '0').slice(0, 6)}${zone}`;
}

/** A record value as a bind: Snowflake converts it to the column's type. */
export function bindOf(value: unknown): Bind {
  if (value === null || value === undefined) return { type: 'TEXT', value: null };
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'FIXED' : 'REAL', value: String(value) };
  if (typeof value === 'boolean') return { type: 'BOOLEAN', value: String(value) };
  if (typeof value === 'object') return { type: 'TEXT', value: JSON.stringify(value) };
  return { type: 'TEXT', value: String(value) };
}

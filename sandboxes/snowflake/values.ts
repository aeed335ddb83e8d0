/**
 * Values as the SQL API answers them (format jsonv2): every value a string or null, numbers in
 * plain notation, booleans "true"/"false", TIMESTAMP_NTZ and TIMESTAMP_LTZ as seconds since the
 * epoch with nine decimals ("1606761000.123456000"), DATE as days since the epoch.
 */
export type SnowflakeType = 'fixed' | 'real' | 'text' | 'boolean' | 'timestamp_ntz' | 'timestamp_ltz' | 'date' | 'variant';

export interface ColumnType {
  type: SnowflakeType;
  precision: number;
  scale: number;
  length: number;
  byteLength: number;
}

export interface ResultColumn extends ColumnType {
  name: string;
}

/** Postgres type OIDs and the Snowflake type each is shown as (numeric's typmod gives its scale). */
export function snowflakeColumnType(oid: number, typmod = -1): ColumnType {
  const base = { precision: 0, scale: 0, length: 0, byteLength: 0 };
  switch (oid) {
    case 20: case 21: case 23: return { ...base, type: 'fixed', precision: 38 };
    case 1700: return { ...base, type: 'fixed', precision: typmod > 0 ? ((typmod - 4) >> 16) & 0xffff : 38, scale: typmod > 0 ? (typmod - 4) & 0xffff : 0 };
    case 700: case 701: return { ...base, type: 'real' };
    case 16: return { ...base, type: 'boolean' };
    case 1114: return { ...base, type: 'timestamp_ntz', scale: 9 };
    case 1184: return { ...base, type: 'timestamp_ltz', scale: 9 };
    case 1082: return { ...base, type: 'date' };
    case 3802: case 114: return { ...base, type: 'variant', length: 16777216, byteLength: 16777216 };
    default: return { ...base, type: 'text', length: 16777216, byteLength: 16777216 };
  }
}

/** Postgres's text form of a value (TimeZone UTC) as the SQL API's string. */
export function toSnowflakeString(raw: string | null, column: Pick<ColumnType, 'type'>): string | null {
  if (raw === null) return null;
  switch (column.type) {
    case 'boolean': return raw === 't' || raw === 'true' ? 'true' : 'false';
    case 'timestamp_ntz':
    case 'timestamp_ltz': return epochSeconds(raw);
    case 'date': return String(Math.round(Date.parse(`${raw}T00:00:00Z`) / 86_400_000));
    default: return raw;
  }
}

/** A value as GET /__sandbox/state shows it: JSON numbers and booleans, ISO 8601 timestamps. */
export function fromPostgresText(raw: string | null, column: ColumnType): unknown {
  if (raw === null) return null;
  switch (column.type) {
    case 'fixed': return column.scale === 0 && Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
    case 'real': return Number(raw);
    case 'boolean': return raw === 't' || raw === 'true';
    case 'timestamp_ntz':
    case 'timestamp_ltz': return isoTimestamp(raw);
    default: return raw;
  }
}

/** "2026-11-30 17:50:00.1234[+00]" -> "2026-11-30T17:50:00.123400" (microseconds kept). */
export function isoTimestamp(raw: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(raw);
  if (!m) return raw;
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0').slice(0, 6)}`;
}

/** "2026-11-30 17:50:00.1234[+00]" -> "1796060000.123400000". */
export function epochSeconds(raw: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(raw);
  if (!m) return raw;
  const seconds = Math.floor(Date.parse(`${m[1]}T${m[2]}Z`) / 1000);
  return `${seconds}.${(m[3] ?? '').padEnd(9, '0').slice(0, 9)}`;
}

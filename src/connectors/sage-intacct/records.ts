import type { ObjectSpec, Rec } from '../contract';

/** An XML record as the connector's record: the declared fields, typed; empty elements are null. */
export function toRecord(spec: ObjectSpec, row: Record<string, unknown>): Rec {
  return Object.fromEntries(spec.fields.map((f) => [f.name, typed(f.type, row[f.name])]));
}

function typed(type: string, value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return value;
  if (type === 'number') {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

/** A record's values as XML text: blanks as empty elements (which clear the field). */
export function toXmlValues(record: Rec): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)]));
}

/** "MM/DD/YYYY HH:MM:SS" (UTC), as queries and WHENMODIFIED write date-times, <-> epoch ms. */
export function intacctTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

export function epochOfIntacct(value: unknown): number {
  if (typeof value !== 'string') return 0;
  const [date = '', time = '00:00:00'] = value.trim().split(' ');
  const [month, day, year] = date.split('/');
  const ms = Date.parse(`${year}-${month}-${day}T${time}Z`);
  return Number.isNaN(ms) ? 0 : ms;
}

/** A value inside a readByQuery query: single-quoted, quotes and backslashes escaped with a backslash. */
export function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

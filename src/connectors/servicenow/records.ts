import type { ObjectSpec, Rec } from '../contract';
import type { Row } from './api';

/** A Table API row as a record: the declared fields (every column for tables described at run time). */
export function toRecord(spec: ObjectSpec, row: Row): Rec {
  if (spec.dynamicFields) return { ...row };
  return Object.fromEntries(spec.fields.map((f) => [f.name, row[f.name] ?? null]));
}

/** A record's values as the Table API takes them: strings, blanks as "" (which clears). */
export function toValues(record: Rec): Row {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)]));
}

import type { ObjectSpec } from '../object-spec';
import type { FieldError, Rec } from '../records';

/**
 * Value equality as the systems see it: most store what they are sent as strings ("100" for 100),
 * and treat null, undefined and '' alike for a cleared field.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const blank = (v: unknown) => v === null || v === undefined || v === '';
  if (blank(a) || blank(b)) return blank(a) && blank(b);
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return String(a) === String(b);
}

/** The fields a load writes for a record: everything it carries but the system's read-only fields. */
export function writtenFields(record: Rec, spec: ObjectSpec): string[] {
  const readOnly = new Set(spec.fields.filter((f) => f.readOnly).map((f) => f.name));
  return Object.keys(record).filter((f) => !readOnly.has(f));
}

export interface FieldChange {
  from: unknown;
  to: unknown;
}

/** Field-level diff of what writing `desired` would change on `current` (null: absent record). */
export function diffFields(current: Rec | null, desired: Rec, fields: string[]): Record<string, FieldChange> {
  const diff: Record<string, FieldChange> = {};
  for (const field of fields) {
    const from = current ? current[field] ?? null : null;
    if (!sameValue(from, desired[field])) diff[field] = { from, to: desired[field] ?? null };
  }
  return diff;
}

/** Verify: the fields that read back differently from what was written, as field errors. */
export function mismatches(written: Rec, readBack: Rec | null, fields: string[]): FieldError[] {
  if (!readBack) return [{ field: fields[0] ?? '*', message: 'the record could not be read back after the write' }];
  return Object.entries(diffFields(readBack, written, fields)).map(([field, change]) => ({
    field,
    message: `wrote ${JSON.stringify(change.to)} but read back ${JSON.stringify(change.from)}`,
  }));
}

/** The before-image restricted to the fields the load wrote, with absent fields cleared. */
export function restoreImage(before: Rec, fields: string[]): Rec {
  return Object.fromEntries(fields.map((f) => [f, before[f] ?? null]));
}

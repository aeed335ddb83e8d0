import { readOnlyFieldNames, type ObjectSpec } from '../../platform/object-spec';
import type { Rec } from '../../platform/records';

export interface Restored {
  /** The record's id afterwards: its own when restored natively, a new one when re-created. */
  id: string;
  recreated: boolean;
}

/**
 * The values to re-create a record from its before-image: every field but read-only and system
 * ones, without blanks (a create has nothing to clear).
 */
export function recreateValues(spec: ObjectSpec, before: Rec, exclude: Iterable<string> = []): Rec {
  const readOnly = new Set([...readOnlyFieldNames(spec), ...exclude]);
  return Object.fromEntries(Object.entries(before)
    .filter(([name, value]) => !readOnly.has(name) && value !== null && value !== undefined && value !== ''));
}

/**
 * Brings a deleted record back: the system's native restore first (undelete, recycle bin, reactivate),
 * which keeps its id; when that is not possible (null), a re-create from the before-image, which
 * gets a new id the load records.
 */
export async function restoreOrRecreate(steps: {
  native?: () => Promise<string | null>;
  recreate: () => Promise<string>;
}): Promise<Restored> {
  const restoredId = steps.native ? await steps.native() : null;
  if (restoredId !== null) return { id: restoredId, recreated: false };
  return { id: await steps.recreate(), recreated: true };
}

/** What a write may send of a record: every field but read-only and system ones (blanks kept: they clear). */
export function writableValues(spec: ObjectSpec, record: Rec): Rec {
  const readOnly = readOnlyFieldNames(spec);
  return Object.fromEntries(Object.entries(record).filter(([name]) => !readOnly.has(name)));
}

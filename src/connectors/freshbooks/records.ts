import type { Rec } from '../contract';
import { fromDottedFields, inStoredKeyOrder, toDottedFields, writableValues } from '../kit';
import { isObject } from './errors';
import type { FbObject } from './objects';

/** A resource as FreshBooks answers it. */
export type Resource = Record<string, unknown> & { id?: number | string; vis_state?: number; updated?: string };

export const DELETED = 1;

/** A resource as the platform sees it: money objects as dotted fields, lines as a write sends them. */
export function toRecord(resource: Resource): Rec {
  const record = toDottedFields(resource);
  if (record.id !== undefined) record.id = String(record.id);
  if (Array.isArray(resource.lines)) record.lines = writtenLines(resource.lines);
  return record;
}

/** Invoice lines without what FreshBooks adds (ids, amounts, taxes), in the key order a stored load keeps. */
function writtenLines(lines: unknown[]): unknown[] {
  return inStoredKeyOrder(lines.filter(isObject).map((line) => {
    const cost = isObject(line.unit_cost) ? line.unit_cost : {};
    return {
      name: line.name,
      qty: Number(line.qty),
      ...(typeof line.description === 'string' && line.description !== '' ? { description: line.description } : {}),
      unit_cost: { amount: cost.amount, code: cost.code },
    };
  }));
}

/** What a write sends: the writable fields (never vis_state), dotted names nested again. */
export function toPayload(target: FbObject, record: Rec): Record<string, unknown> {
  return fromDottedFields(writableValues(target.spec, record));
}

export function isDeleted(resource: Resource | null | undefined): boolean {
  return !resource || Number(resource.vis_state) === DELETED;
}

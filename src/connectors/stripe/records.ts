import type { ObjectSpec, Rec } from '../contract';
import { readOnlyFieldNames } from '../contract';
import { isBlank, isPlainObject } from '../../platform/load/compare';
import { fieldAt } from '../../platform/object-spec';
import { toDottedFields } from '../kit';

/**
 * Between Stripe objects and the platform's records. Records read from Stripe are flat: nested
 * hashes become dotted fields in Stripe's parameter paths (`metadata.external_id` for
 * metadata[external_id], `recurring.interval`, `address.city`), the names Stripe's errors use; the
 * platform compares them with records that carry the same values nested (see compare.ts). An
 * invoice's line items are one read-only value, `lines` (InvoiceLine[]), all of them.
 */
const METADATA_PREFIX = 'metadata.';

export type StripeEntity = Record<string, unknown> & { id: string; object?: string; deleted?: boolean; created?: number };

/** An invoice line as a record keeps it: what re-creating it as an invoice item needs. */
export interface InvoiceLine {
  amount: number;
  currency: string;
  description: string | null;
  quantity: number | null;
  /** The price it bills (`pricing.price_details.price`; `price.id` in events of pre-2025 versions), else null (a one-off amount). */
  price: string | null;
  metadata: Record<string, string>;
}

export function toRecord(entity: StripeEntity): Rec {
  const { lines, ...rest } = entity;
  const record = toDottedFields(rest);
  if (entity.object === 'invoice') record.lines = isPlainObject(lines) && Array.isArray(lines.data) ? lines.data.map(toInvoiceLine) : [];
  return record;
}

export function toInvoiceLine(line: unknown): InvoiceLine {
  const l = isPlainObject(line) ? line : {};
  const pricing = isPlainObject(l.pricing) ? l.pricing : {};
  const details = isPlainObject(pricing.price_details) ? pricing.price_details : {};
  return {
    amount: Number(l.amount ?? 0),
    currency: String(l.currency ?? ''),
    description: typeof l.description === 'string' ? l.description : null,
    quantity: typeof l.quantity === 'number' ? l.quantity : null,
    price: typeof details.price === 'string' ? details.price : isPlainObject(l.price) && typeof l.price.id === 'string' ? l.price.id : null,
    metadata: isPlainObject(l.metadata) ? (l.metadata as Record<string, string>) : {},
  };
}

export function metadataKeyOf(field: string): string | undefined {
  return field.startsWith(METADATA_PREFIX) ? field.slice(METADATA_PREFIX.length) : undefined;
}

/** The top-level parameter a field belongs to: 'recurring' for 'recurring.interval'. */
export function paramOf(field: string): string {
  const dot = field.indexOf('.');
  return dot < 0 ? field : field.slice(0, dot);
}

export interface ParamOptions {
  /** On create, blank values are left out; otherwise they are sent as '' (Stripe's way to unset). */
  forCreate?: boolean;
  /** Top-level parameters not to send (immutable ones on update). */
  leaveOut?: string[];
  /** Only the object's writable fields (for re-creating from a before-image). */
  writableOnly?: boolean;
}

/**
 * A record as Stripe parameters: read-only fields left out, dotted fields nested (metadata keys
 * taken whole), blanks sent as '' (unset) except where Stripe refuses them (FieldSpec.clearable
 * false: an integer, a boolean, an enum), which are left out.
 */
export function toParams(spec: ObjectSpec, record: Rec, options: ParamOptions = {}): Record<string, unknown> {
  const readOnly = readOnlyFieldNames(spec);
  const writable = new Set(spec.fields.filter((f) => !f.readOnly && !f.writeOnly).map((f) => paramOf(f.name)));
  const leaveOut = new Set(options.leaveOut ?? []);
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    const top = paramOf(name);
    if (readOnly.has(name) || readOnly.has(top) || leaveOut.has(top)) continue;
    if (options.writableOnly && !writable.has(top)) continue;
    const blank = isBlank(value);
    if (blank && (options.forCreate || fieldAt(spec, name)?.field.clearable === false)) continue;
    const path = metadataKeyOf(name) !== undefined ? ['metadata', metadataKeyOf(name)!] : name.split('.');
    setPath(params, path, blank ? '' : formValue(value, options.forCreate === true));
  }
  return params;
}

/** A value as a form parameter: blanks inside a hash are '' (unset a key), or left out on create. */
function formValue(value: unknown, forCreate: boolean): unknown {
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).flatMap(([key, child]) => {
      if (isBlank(child)) return forCreate ? [] : [[key, '']];
      return [[key, formValue(child, forCreate)]];
    }));
  }
  return Array.isArray(value) ? value : String(value);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((segment) => {
    if (!isPlainObject(node[segment])) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  });
  const last = path[path.length - 1];
  node[last] = isPlainObject(value) && isPlainObject(node[last]) ? { ...(node[last] as object), ...value } : value;
}

/** The record's fields (dotted) with nested values flattened, so they compare with toRecord's. */
export function flattenRecord(record: Rec): Rec {
  return toDottedFields(record);
}

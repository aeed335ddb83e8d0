import type { ObjectSpec, Rec } from '../contract';
import { readOnlyFieldNames } from '../contract';

/**
 * Between Stripe objects and the platform's records. Records are flat: nested hashes become dotted
 * fields in Stripe's parameter paths (`metadata.external_id` for metadata[external_id],
 * `recurring.interval`, `address.city`), the names Stripe's errors use, so verify compares field by
 * field. Writes accept dotted fields and nested values alike.
 */
const METADATA_PREFIX = 'metadata.';

export type StripeEntity = Record<string, unknown> & { id: string; object?: string; deleted?: boolean; created?: number };

export function toRecord(entity: StripeEntity): Rec {
  const record: Rec = {};
  const visit = (prefix: string, value: unknown) => {
    if (isHash(value) && (Object.keys(value).length > 0 || prefix === 'metadata')) {
      for (const [key, child] of Object.entries(value)) visit(`${prefix}.${key}`, child);
    } else record[prefix] = value;
  };
  for (const [name, value] of Object.entries(entity)) visit(name, value);
  return record;
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

/** A record as Stripe parameters: read-only fields left out, dotted fields nested (metadata keys taken whole). */
export function toParams(spec: ObjectSpec, record: Rec, options: ParamOptions = {}): Record<string, unknown> {
  const readOnly = readOnlyFieldNames(spec);
  const writable = new Set(spec.fields.filter((f) => !f.readOnly).map((f) => paramOf(f.name)));
  const leaveOut = new Set(options.leaveOut ?? []);
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    const top = paramOf(name);
    if (readOnly.has(name) || readOnly.has(top) || leaveOut.has(top)) continue;
    if (options.writableOnly && top !== 'metadata' && !writable.has(top)) continue;
    const blank = value === null || value === undefined || value === '';
    if (blank && options.forCreate) continue;
    const path = metadataKeyOf(name) !== undefined ? ['metadata', metadataKeyOf(name)!] : name.split('.');
    setPath(params, path, blank ? '' : isHash(value) || Array.isArray(value) ? value : String(value));
  }
  return params;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((segment) => {
    if (!isHash(node[segment])) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  });
  const last = path[path.length - 1];
  node[last] = isHash(value) && isHash(node[last]) ? { ...(node[last] as object), ...value } : value;
}

export function isHash(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The record's fields (dotted) with nested values flattened, so they compare with toRecord's. */
export function flattenRecord(record: Rec): Rec {
  return toRecord({ id: '', ...record }) as Rec;
}

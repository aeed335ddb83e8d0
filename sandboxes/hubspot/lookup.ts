import { ReplyError, type RecordView, type StoredRecord } from '../kit';
import { hubspotError, validationError } from './errors';
import type { ObjectCatalog, ObjectSpec } from './objects';

/** The object a path names, or HubSpot's 400 for an object type it cannot infer. */
export function objectFromPath(catalog: ObjectCatalog, objectType: string | undefined, correlationId: string): ObjectSpec {
  const spec = catalog.resolve(objectType ?? '');
  if (!spec) throw new ReplyError(validationError(correlationId, `Unable to infer object type from: ${objectType ?? ''}`));
  return spec;
}

/** An `idProperty` must be hs_object_id (the default) or a property with unique values. */
export function checkIdProperty(catalog: ObjectCatalog, spec: ObjectSpec, idProperty: string | undefined, correlationId: string): string {
  const name = idProperty ?? 'hs_object_id';
  if (name === 'hs_object_id') return name;
  const property = catalog.property(spec, name);
  if (!property) throw new ReplyError(validationError(correlationId, `Property "${name}" does not exist`, [{ message: `Property "${name}" does not exist`, code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: [name] } }]));
  if (!property.unique) {
    throw new ReplyError(validationError(correlationId, `${name} is not a unique property and cannot be used as idProperty`, [{ message: `${name} is not a unique property`, code: 'INVALID_ID_PROPERTY', context: { propertyName: [name] } }]));
  }
  return name;
}

export interface FindOptions {
  idProperty: string;
  /** HubSpot's `archived`: true finds only archived records, false only live ones. */
  archived: boolean;
  /** Reads go through the eventual-consistency view; write paths look at the latest state. */
  consistency: 'read' | 'latest';
}

export function findRecord(view: RecordView, spec: ObjectSpec, value: string, options: FindOptions): StoredRecord | undefined {
  let record: StoredRecord | undefined;
  if (options.idProperty === 'hs_object_id') {
    record = options.consistency === 'read' ? view.read(spec.name, value) : view.latest(spec.name, value);
  } else {
    record = view.findByField(spec.name, options.idProperty, value, { archived: options.archived, consistency: options.consistency });
  }
  return record && record.archived === options.archived ? record : undefined;
}

/**
 * HubSpot refuses a write that would give two live records the same value of a unique property
 * (409 CONFLICT, "Contact already exists. Existing ID: ..."). `writes` are the records after the
 * write; `selfId` is the record being updated, if any.
 */
export function uniqueConflict(
  view: RecordView,
  spec: ObjectSpec,
  writes: { selfId?: string; properties: Record<string, string | undefined> }[],
  correlationId: string,
): ReplyError | undefined {
  const uniqueNames = spec.properties.filter((p) => p.unique).map((p) => p.name);
  // Who owns each unique value now, through the store's field index (no scan of the object).
  const ownerOf = (name: string, value: string) =>
    view.findByField(spec.name, name, value, { archived: false, consistency: 'latest' })?.id;
  const rewrites = (name: string, id: string) => writes.some((w) => w.selfId === id && w.properties[name] !== undefined);
  const claimed = new Map<string, string>();
  for (const write of writes) {
    for (const name of uniqueNames) {
      const value = write.properties[name]?.toLowerCase();
      if (!value) continue;
      const ownerId = ownerOf(name, value);
      const owner = ownerId !== undefined && ownerId !== write.selfId && !rewrites(name, ownerId) ? { id: ownerId } : undefined;
      const key = `${name}\u0000${value}`;
      const earlier = claimed.get(key);
      if (owner || (earlier !== undefined && earlier !== write.selfId)) {
        const existing = owner?.id;
        const message =
          spec.name === 'contacts' && name === 'email' && existing
            ? `Contact already exists. Existing ID: ${existing}`
            : `A ${spec.label.toLowerCase()} with ${name} "${value}" already exists${existing ? `. Existing ID: ${existing}` : ' in this batch'}`;
        return new ReplyError(hubspotError(409, correlationId, 'CONFLICT', message));
      }
      claimed.set(key, write.selfId ?? `new:${claimed.size}`);
    }
  }
  return undefined;
}

/** The 404 of a single-record read/update/archive. */
export function objectNotFound(id: string, correlationId: string): ReplyError {
  return new ReplyError(hubspotError(404, correlationId, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [id] } }));
}

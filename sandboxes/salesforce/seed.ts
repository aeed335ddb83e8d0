import type { NewRecord } from '../kit';
import { findSObject, fieldOf } from './schema';
import { normaliseValue, parseDateTime } from './values';

/**
 * A record given to POST /__sandbox/seed: a flat object of field values, as the REST API shows a
 * record. System fields may be given: Id (else one is minted), CreatedDate, SystemModstamp (or
 * LastModifiedDate), IsDeleted (true puts the record in the recycle bin). Values are checked like an
 * API write; an invalid seed is refused.
 */
export function salesforceSeedRecord(object: string, input: Record<string, unknown>): NewRecord {
  const spec = findSObject(object);
  if (!spec) throw new Error(`unknown sObject ${object}`);
  const { Id, CreatedDate, SystemModstamp, LastModifiedDate, IsDeleted, attributes: _attributes, ...given } = input;
  const fields: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const field = fieldOf(spec, name);
    if (!field || field.system) {
      problems.push(`${name}: not a writable field of ${spec.name}`);
      continue;
    }
    const normalised = normaliseValue(field, value);
    if (!normalised.ok) problems.push(normalised.message);
    else if (normalised.value !== null) fields[field.name] = normalised.value;
  }
  const missing = spec.fields.filter((f) => f.required && fields[f.name] === undefined).map((f) => f.name);
  if (missing.length > 0) problems.push(`Required fields are missing: [${missing.join(', ')}]`);
  if (problems.length > 0) throw new Error(`invalid ${spec.name} seed: ${problems.join('; ')}`);
  const iso = (value: unknown): string | undefined => (typeof value === 'string' && !Number.isNaN(parseDateTime(value)) ? new Date(parseDateTime(value)).toISOString() : undefined);
  const created = iso(CreatedDate);
  const modified = iso(SystemModstamp) ?? iso(LastModifiedDate);
  return {
    ...(typeof Id === 'string' ? { id: Id } : {}),
    ...(created ? { createdAt: created } : {}),
    ...(modified ? { updatedAt: modified } : {}),
    ...(IsDeleted === true ? { archived: true, archivedAt: modified } : {}),
    fields,
  };
}

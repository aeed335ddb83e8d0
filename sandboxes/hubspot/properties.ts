import type { StoredRecord } from '../kit';
import type { PropertyProblem } from './errors';
import type { ObjectCatalog, ObjectSpec, PropertySpec } from './objects';

/**
 * Property values: HubSpot takes strings, numbers and booleans and always answers strings; an
 * empty string or null clears a property. Validation rules (README.md "Property rules").
 */
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateProperties(catalog: ObjectCatalog, spec: ObjectSpec, properties: Record<string, unknown>): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  for (const [name, value] of Object.entries(properties)) {
    const property = catalog.property(spec, name);
    if (!property) {
      problems.push({ propertyName: name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (property.readOnly) {
      problems.push({ propertyName: name, code: 'READ_ONLY_VALUE', message: `${name} is a read only property; its value cannot be set.` });
      continue;
    }
    const problem = valueProblem(property, value);
    if (problem) problems.push(problem);
  }
  return problems;
}

function valueProblem(property: PropertySpec, value: unknown): PropertyProblem | undefined {
  if (value === null || value === '') return undefined;
  const name = property.name;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return { propertyName: name, code: 'INVALID_PROPERTY_VALUE', message: `${JSON.stringify(value)} is not a valid value for ${name}` };
  }
  const text = String(value);
  switch (property.type) {
    case 'email':
      return emailPattern.test(text) ? undefined : { propertyName: name, code: 'INVALID_EMAIL', message: `Email address ${text} is invalid` };
    case 'number':
      return Number.isFinite(Number(text)) ? undefined : { propertyName: name, code: 'INVALID_DECIMAL', message: `${text} was not a valid number.` };
    case 'datetime':
      return toEpochMs(text) !== undefined ? undefined : { propertyName: name, code: 'INVALID_DATE', message: `${text} was not a valid date-time (ISO 8601 or milliseconds since the epoch).` };
    case 'bool':
      return text === 'true' || text === 'false' ? undefined : { propertyName: name, code: 'INVALID_BOOLEAN', message: `${text} was not a valid boolean.` };
    case 'enumeration':
      return property.options?.includes(text)
        ? undefined
        : { propertyName: name, code: 'INVALID_OPTION', message: `${text} was not one of the allowed options: [${(property.options ?? []).join(', ')}]` };
    case 'string':
      return undefined;
  }
}

/** Values as HubSpot keeps them: strings; '' and null clear (stored as absent). */
export function normaliseProperties(spec: ObjectSpec, properties: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(properties).map(([name, value]) => {
      if (value === null || value === '') return [name, undefined];
      const type = spec.properties.find((p) => p.name === name)?.type;
      const text = String(value);
      if (type === 'datetime') return [name, new Date(toEpochMs(text) ?? 0).toISOString()];
      if (type === 'email') return [name, text.toLowerCase()];
      return [name, text];
    }),
  );
}

/** Milliseconds since the epoch from an ISO date(-time) or a millisecond count, else undefined. */
export function toEpochMs(value: string): number | undefined {
  if (/^-?\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Every property value of a record, the computed ones (id, create and modify dates) included. */
export function allPropertyValues(spec: ObjectSpec, record: StoredRecord): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.fields)) if (typeof value === 'string') values[name] = value;
  values.hs_object_id = record.id;
  values.createdate = record.createdAt;
  for (const name of spec.lastModifiedProperties) values[name] = record.updatedAt;
  return values;
}

export interface HubspotRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

/**
 * A record as the API answers it: the asked-for properties (null when unset; the object's default
 * properties when none are asked for), always with hs_object_id, createdate and the last-modified date.
 */
export function presentRecord(spec: ObjectSpec, record: StoredRecord, requested?: string[]): HubspotRecord {
  const names = new Set(requested && requested.length > 0 ? requested : spec.defaultProperties);
  names.add('hs_object_id');
  names.add('createdate');
  names.add(spec.lastModifiedProperties[0] ?? 'hs_lastmodifieddate');
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = propertyValue(spec, record, name) ?? null;
  return {
    id: record.id,
    properties,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
    ...(record.archivedAt ? { archivedAt: record.archivedAt } : {}),
  };
}

/**
 * One property's value as allPropertyValues has it, without building the record's every value:
 * a batch answer presents a hundred records, three or four properties each.
 */
function propertyValue(spec: ObjectSpec, record: StoredRecord, name: string): string | undefined {
  if (name === 'hs_object_id') return record.id;
  if (name === 'createdate') return record.createdAt;
  if (spec.lastModifiedProperties.includes(name)) return record.updatedAt;
  const value = record.fields[name];
  return typeof value === 'string' ? value : undefined;
}

/** The full record (every property with a value): what GET /__sandbox/state shows. */
export function presentFullRecord(spec: ObjectSpec, record: StoredRecord): HubspotRecord {
  return { ...presentRecord(spec, record, []), properties: allPropertyValues(spec, record) };
}

/** `properties=a,b` or `properties=a&properties=b` from a query string. */
export function requestedProperties(query: URLSearchParams): string[] | undefined {
  const names = query.getAll('properties').flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
  return names.length > 0 ? names : undefined;
}

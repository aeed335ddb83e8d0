import type { ObjectSpec, Rec } from '../contract';
import type { CrmRecord } from './crm-api';
import { ID_PROPERTY, readOnlyFields } from './objects';

/** A CRM object as the platform sees it: its properties, flat, with hs_object_id always the record's id. */
export function flatten(record: CrmRecord): Rec {
  return { ...record.properties, [ID_PROPERTY]: record.id };
}

/** What may be sent as properties: everything but HubSpot's read-only properties. */
export function writableProperties(spec: ObjectSpec, record: Rec): Record<string, unknown> {
  const readOnly = readOnlyFields(spec);
  return Object.fromEntries(Object.entries(record).filter(([name]) => !readOnly.has(name)));
}

/** A key value as a string ('' when absent). */
export function keyValue(record: Rec, keyField: string): string {
  const value = record[keyField];
  return value === undefined || value === null ? '' : String(value).trim();
}

/** How HubSpot compares key values: ids exactly, unique properties (email, domain...) ignoring case. */
export function sameKey(value: string): string {
  return value.trim().toLowerCase();
}

/** The value of `keyField` on a record HubSpot answered. */
export function keyOfRecord(record: CrmRecord, keyField: string): string | undefined {
  if (keyField === ID_PROPERTY) return record.id;
  const value = record.properties[keyField];
  return value === null || value === undefined ? undefined : value;
}

import type { Rec } from '../contract';
import type { CrmRecord } from './crm-api';
import { ID_PROPERTY } from './objects';

/** A CRM object as the platform sees it: its properties, flat, with hs_object_id always the record's id. */
export function flatten(record: CrmRecord): Rec {
  return { ...record.properties, [ID_PROPERTY]: record.id };
}

/**
 * How HubSpot compares key values: ids exactly, unique properties (email, domain...) ignoring case.
 * Ids are digits, so lower-casing every key is the same as lower-casing only unique properties.
 */
export function sameKey(value: string): string {
  return value.trim().toLowerCase();
}

/** The value of `keyField` on a record HubSpot answered. */
export function keyOfRecord(record: CrmRecord, keyField: string): string | undefined {
  if (keyField === ID_PROPERTY) return record.id;
  const value = record.properties[keyField];
  return value === null || value === undefined ? undefined : value;
}

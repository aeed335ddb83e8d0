import type { Rec } from '../contract';
import type { SObjectRecord } from './api';
import { ID_FIELD } from './objects';

/** A record as the platform sees it: its fields, flat, without Salesforce's `attributes`. */
export function flatten(record: SObjectRecord): Rec {
  const { attributes: _attributes, ...fields } = record;
  return fields;
}

/**
 * How Salesforce compares key values: ids by their case-sensitive 15-character form (an 18-character
 * id only adds a checksum), External IDs ignoring case.
 */
export function sameKey(keyField: string, value: string): string {
  return keyField === ID_FIELD ? value.trim().slice(0, 15) : value.trim().toLowerCase();
}

export function looksLikeId(value: string): boolean {
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value.trim());
}

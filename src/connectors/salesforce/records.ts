import type { Rec } from '../contract';
import type { SObjectRecord } from './api';
import { normaliserOf } from '../kit';
import { EXTERNAL_ID_KEY_MATCH, ID_FIELD, ID_KEY_MATCH } from './objects';

/** A record as the platform sees it: its fields, flat, without Salesforce's `attributes`. */
export function flatten(record: SObjectRecord): Rec {
  const { attributes: _attributes, ...fields } = record;
  return fields;
}

/**
 * How Salesforce compares key values: ids by their case-sensitive 15-character form (an 18-character
 * id only adds a checksum), External IDs ignoring case, as the object specs declare them.
 */
export function sameKey(keyField: string, value: string): string {
  return (keyField === ID_FIELD ? byId : byExternalId)(value);
}

const byId = normaliserOf(ID_KEY_MATCH);
const byExternalId = normaliserOf(EXTERNAL_ID_KEY_MATCH);

export function looksLikeId(value: string): boolean {
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value.trim());
}

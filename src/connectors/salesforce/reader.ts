import { chunk } from '../../platform/batch-isolation';
import type { Key, Rec } from '../contract';
import type { SalesforceApi, SObjectRecord } from './api';
import { COLLECTION_LIMIT, ID_FIELD } from './objects';
import { flatten, looksLikeId, sameKey } from './records';
import { soqlName, soqlString } from './soql';

/** Keys per SOQL `IN (...)` lookup: keeps the query string well under the URL length limit. */
const LOOKUP_KEYS_PER_QUERY = 100;

/**
 * Current records by key: by Id with sObject Collections retrieve (null for missing and deleted
 * records), by an External ID field with SOQL `WHERE field IN (...)`. `fields` are read besides Id
 * and the key; none means every field describe lists.
 */
export async function readByKey(api: SalesforceApi, object: string, keyField: string, keys: Key[], fields: string[] = []): Promise<Map<Key, Rec | null>> {
  const names = await fieldsToRead(api, object, keyField, fields);
  const wanted = [...new Map(keys.filter((k) => k.trim() !== '').map((k) => [sameKey(keyField, k), k.trim()])).values()];
  const found = new Map<string, Rec>();
  const keep = (record: SObjectRecord | null): void => {
    const value = record?.[keyField];
    if (record && value !== null && value !== undefined) found.set(sameKey(keyField, String(value)), flatten(record));
  };
  if (keyField === ID_FIELD) {
    for (const part of chunk(wanted.filter(looksLikeId), COLLECTION_LIMIT)) {
      (await api.retrieve(object, part, names)).forEach(keep);
    }
  } else {
    for (const part of chunk(wanted, LOOKUP_KEYS_PER_QUERY)) {
      const soql = `SELECT ${names.map(soqlName).join(', ')} FROM ${soqlName(object)} WHERE ${soqlName(keyField)} IN (${part.map(soqlString).join(', ')})`;
      for await (const record of api.query(soql)) keep(record);
    }
  }
  return new Map(keys.map((key) => [key, found.get(sameKey(keyField, key)) ?? null]));
}

async function fieldsToRead(api: SalesforceApi, object: string, keyField: string, fields: string[]): Promise<string[]> {
  const asked = fields.filter((f) => f !== 'attributes');
  const named = asked.length > 0 ? asked : (await api.describe(object)).fields.map((f) => f.name);
  return [...new Set([ID_FIELD, keyField, ...named])];
}

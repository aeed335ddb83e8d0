import { chunk } from '../../platform/batch-isolation';
import { ConnectorError } from '../../platform/errors';
import type { Key, Rec } from '../contract';
import { keyNormaliser } from '../kit';
import type { DataverseApi, Row } from './api';
import { SYSTEM } from './errors';
import { selectColumns, type DataverseObject } from './objects';

/** Keys per $filter (`k eq … or k eq …`): keeps the URL well under its length limit. */
const KEYS_PER_QUERY = 50;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An OData literal of a key value: GUIDs bare, text quoted with '' for a quote; undefined when it cannot be one. */
export function keyLiteral(target: DataverseObject, keyField: string, value: string): string | undefined {
  if (keyField === target.primaryKey) return GUID.test(value) ? value.toLowerCase() : undefined;
  return `'${value.replace(/'/g, "''")}'`;
}

/** The URL segment addressing one row: accounts(<guid>) or accounts(accountnumber='A-1'), percent-encoded. */
export function rowPath(target: DataverseObject, keyField: string, value: string): string {
  const literal = keyLiteral(target, keyField, value) ?? '';
  const key = keyField === target.primaryKey ? literal : `${keyField}=${literal}`;
  return `${target.entitySet}(${encodeURIComponent(key).replace(/%3D/g, '=').replace(/%27/g, "'")})`;
}

function checkKeyField(target: DataverseObject, keyField: string): void {
  if (keyField === target.primaryKey || keyField === target.alternateKey) return;
  throw new ConnectorError({
    kind: 'permanent', system: SYSTEM, fields: [{ field: 'naturalKey', message: `${target.entitySet} rows are found by ${target.primaryKey} or ${target.alternateKey}` }],
    message: `dynamics cannot look ${target.entitySet} up by ${keyField}: use ${target.primaryKey} or the alternate key ${target.alternateKey}`,
  });
}

/** A row as a record: its columns and its ETag (OData annotations other than the ETag left out). */
export function rowToRecord(row: Row): Rec {
  return Object.fromEntries(Object.entries(row).filter(([name]) => !name.startsWith('@') || name === '@odata.etag'));
}

/**
 * Current rows by primary key or alternate key: one $filter query per 50 keys, every column of the
 * spec selected (so a delete's snapshot holds the whole row). Alternate keys match without case, as
 * Dataverse compares them.
 */
export async function readByKey(api: DataverseApi, target: DataverseObject, keyField: string, keys: Key[]): Promise<Map<Key, Rec | null>> {
  checkKeyField(target, keyField);
  const normalise = keyNormaliser(target.spec, keyField);
  const wanted = [...new Map(keys.filter((k) => keyLiteral(target, keyField, k.trim()) !== undefined && k.trim() !== '').map((k) => [normalise(k), k.trim()])).values()];
  const found = new Map<string, Rec>();
  for (const part of chunk(wanted, KEYS_PER_QUERY)) {
    const filter = part.map((k) => `${keyField} eq ${keyLiteral(target, keyField, k)}`).join(' or ');
    for (const row of await api.query(target.entitySet, selectColumns(target), filter)) {
      const value = row[keyField];
      if (value !== null && value !== undefined) found.set(normalise(String(value)), rowToRecord(row));
    }
  }
  return new Map(keys.map((key) => [key, found.get(normalise(key)) ?? null]));
}

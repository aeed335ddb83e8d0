import { chunk } from '../../platform/batch-isolation';
import { mapWithConcurrency } from '../../platform/concurrency';
import { ConnectorError } from '../../platform/errors';
import type { Key, Rec } from '../contract';
import { inStoredKeyOrder } from '../kit';
import type { NetSuiteApi } from './api';
import { SYSTEM } from './errors';
import { EXTERNAL_ID_FIELD, ID_FIELD, type NetSuiteObject } from './objects';
import { fromWhere, rowToRecord, selectList, suiteqlId, suiteqlString } from './suiteql';

/** Keys per SuiteQL `IN (...)`: keeps the query text short. */
const KEYS_PER_QUERY = 100;

export interface ReadOptions {
  timeZone: string;
  concurrency: number;
}

/**
 * Current records by internal id or external id: body fields through one SuiteQL query per 100
 * keys, and sublists through the record service (SuiteQL has no sublists) when they are asked for,
 * when nothing is named, or when only keys are named (a delete's snapshot: a rollback re-creates the
 * whole record from it).
 */
export async function readByKey(api: NetSuiteApi, target: NetSuiteObject, keyField: string, keys: Key[], fields: string[] | undefined,
  options: ReadOptions): Promise<Map<Key, Rec | null>> {
  const found = await queryByKey(api, target, keyField, keys, selectList(target), (row) => rowToRecord(target, row, options.timeZone));
  const sublists = target.fields.filter((f) => f.kind === 'sublist'
    && (!fields || fields.includes(f.name) || fields.every((name) => target.spec.naturalKeys.includes(name))));
  if (sublists.length > 0) {
    await mapWithConcurrency([...found.values()], options.concurrency, async (record) => {
      const full = await api.getRecord(target.recordType, String(record[ID_FIELD]), { expandSubResources: 'true', fields: sublists.map((f) => f.name).join(',') });
      for (const f of sublists) record[f.name] = full ? sublistLines(full[f.name]) : null;
    });
  }
  return new Map(keys.map((key) => [key, found.get(key.trim()) ?? null]));
}

/** The internal id of each key that names a live record. */
export async function readIds(api: NetSuiteApi, target: NetSuiteObject, keyField: string, keys: Key[]): Promise<Map<Key, string>> {
  const found = await queryByKey(api, target, keyField, keys, `id, externalid`, (row) => ({ [ID_FIELD]: String(row.id), [EXTERNAL_ID_FIELD]: row.externalid ?? null }));
  return new Map([...found].map(([key, record]) => [key, String(record[ID_FIELD])]));
}

async function queryByKey(api: NetSuiteApi, target: NetSuiteObject, keyField: string, keys: Key[], select: string,
  toRecord: (row: Record<string, unknown>) => Rec): Promise<Map<Key, Rec>> {
  const column = keyColumn(keyField);
  const literal = keyField === ID_FIELD ? suiteqlId : suiteqlString;
  const wanted = [...new Set(keys.map((k) => k.trim()).filter((k) => k !== '' && literal(k) !== undefined))];
  const found = new Map<Key, Rec>();
  for (const part of chunk(wanted, KEYS_PER_QUERY)) {
    const q = `SELECT ${select} ${fromWhere(target, [`${column} IN (${part.map((k) => literal(k)).join(', ')})`])}`;
    for (const row of await api.suiteqlAll(q)) {
      const record = toRecord(row);
      found.set(String(record[keyField]), record);
    }
  }
  return found;
}

function keyColumn(keyField: string): string {
  if (keyField === ID_FIELD || keyField === EXTERNAL_ID_FIELD) return keyField.toLowerCase();
  throw new ConnectorError({
    kind: 'permanent', system: SYSTEM, fields: [{ field: 'naturalKey', message: `netsuite records are found by ${ID_FIELD} or ${EXTERNAL_ID_FIELD}` }],
    message: `netsuite cannot look records up by ${keyField}: use ${ID_FIELD} or ${EXTERNAL_ID_FIELD}`,
  });
}

/**
 * An expanded sublist as it is written: { items: [{ item: { id }, quantity, rate, description? }] }
 * (links, line numbers and amounts left out), keys in the order the load's stored records keep them,
 * so verify compares it equal to what was written.
 */
export function sublistLines(sublist: unknown): Rec {
  const items = typeof sublist === 'object' && sublist !== null ? (sublist as { items?: unknown }).items : undefined;
  const lines = Array.isArray(items) ? items : [];
  return inStoredKeyOrder({
    items: lines.map((raw) => {
      const line = (raw ?? {}) as Record<string, unknown>;
      const item = line.item as { id?: unknown } | undefined;
      return {
        item: { id: String(item?.id ?? '') },
        ...(line.quantity !== undefined ? { quantity: line.quantity } : {}),
        ...(line.rate !== undefined ? { rate: line.rate } : {}),
        ...(typeof line.description === 'string' ? { description: line.description } : {}),
      };
    }),
  });
}

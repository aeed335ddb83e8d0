import { ConnectorError } from '../../platform/errors';
import type { Key, Rec } from '../contract';
import type { CrmApi, CrmRecord } from './crm-api';
import { SYSTEM } from './auth';
import { BATCH_LIMIT, ID_PROPERTY } from './objects';
import { flatten, keyOfRecord, sameKey } from './records';
import { chunk } from '../../platform/batch-isolation';

/**
 * batch/read by any unique key: missing and archived records come back as null. HubSpot answers 207
 * with OBJECT_NOT_FOUND for ids it does not have: that is an answer, not a failure.
 */
export async function readByKey(api: CrmApi, object: string, keyField: string, keys: Key[], fields: string[] = []): Promise<Map<Key, Rec | null>> {
  const wanted = [...new Set(keys.filter((k) => k.trim() !== '').map(sameKey))];
  const found = new Map<string, Rec>();
  const properties = [...new Set([ID_PROPERTY, keyField, ...fields])];
  for (const part of chunk(wanted, BATCH_LIMIT)) {
    const res = await api.batch(object, 'read', {
      properties,
      ...(keyField === ID_PROPERTY ? {} : { idProperty: keyField }),
      inputs: part.map((id) => ({ id })),
    });
    const unexpected = (res.errors ?? []).filter((e) => e.category !== 'OBJECT_NOT_FOUND');
    if (unexpected.length > 0) {
      throw new ConnectorError({ kind: 'transient', system: SYSTEM, message: `hubspot batch/read of ${object} answered errors: ${unexpected.map((e) => e.message ?? e.category).join('; ')}` });
    }
    for (const record of res.results) indexRecord(found, record, keyField);
  }
  return new Map(keys.map((key) => [key, found.get(sameKey(key)) ?? null]));
}

function indexRecord(found: Map<string, Rec>, record: CrmRecord, keyField: string): void {
  if (record.archived) return;
  const key = keyOfRecord(record, keyField);
  if (key !== undefined) found.set(sameKey(key), flatten(record));
}

import { mapWithConcurrency } from '../../platform/concurrency';
import { ConnectorError } from '../../platform/errors';
import type { Key } from '../contract';
import { keyNormaliser } from '../kit';
import { SYSTEM } from './auth';
import type { FbApi } from './fb-api';
import { ID_FIELD, WRITE_CONCURRENCY, type FbObject } from './objects';
import { isDeleted, type Resource } from './records';

/**
 * Live (not deleted) resources by natural key: by id, GET each (a deleted one answers with
 * vis_state 1); by another key, the list filtered with search[<key>] (lists leave deleted ones out).
 */
export async function findLive(api: FbApi, target: FbObject, keyField: string, keys: Key[]): Promise<Map<Key, Resource | null>> {
  const unique = [...new Set(keys.map((k) => k.trim()).filter((k) => k !== ''))];
  const normalise = keyNormaliser(target.spec, keyField);
  const search = target.searchByKey[keyField];
  if (keyField !== ID_FIELD && !search) {
    throw new ConnectorError({
      kind: 'permanent', system: SYSTEM, fields: [{ field: keyField, message: `not a natural key of ${target.spec.name}` }],
      message: `freshbooks ${target.spec.name} cannot be looked up by ${keyField}: its keys are ${target.spec.naturalKeys.join(', ')}`,
    });
  }
  const found = await mapWithConcurrency(unique, WRITE_CONCURRENCY, async (key): Promise<Resource | null> => {
    if (keyField === ID_FIELD) {
      if (!/^\d+$/.test(key)) return null;
      const resource = await api.get(target, key);
      return isDeleted(resource) ? null : resource;
    }
    const page = await api.list(target, { [search]: key }, 1);
    return page.items.find((r) => !isDeleted(r) && normalise(String(r[keyField] ?? '')) === normalise(key)) ?? null;
  });
  const byKey = new Map(unique.map((key, i) => [normalise(key), found[i]]));
  return new Map(keys.map((key) => [key, byKey.get(normalise(key.trim())) ?? null]));
}

import { chunk } from '../../platform/batch-isolation';
import type { DestinationContract, Key, ObjectSpec, Rec } from '../contract';
import { keyedEntityDestination } from '../kit';
import { quote, type Resource, type SageX3Api } from './api';
import { keyOf, x3Class } from './objects';

export const CONCURRENCY = 4;
/** Keys per read: `where=BPCNUM eq 'a' or BPCNUM eq 'b' ...` travels in the URL. */
export const KEYS_PER_READ = 20;

/** POST $create, PUT $edit with the changed properties, DELETE by key (kit/keyed-entities.ts); a deleted resource comes back by a re-create under its key. */
export function sageX3Destination(api: SageX3Api, options: { confirmWait?: (ms: number) => Promise<void> } = {}): DestinationContract {
  return keyedEntityDestination((object) => {
    const spec = x3Class(object);
    return {
      spec,
      read: (keys) => readByKey(api, spec, keys),
      create: async (values) => String((await api.create(spec, values))[keyOf(spec)] ?? values[keyOf(spec)]),
      update: (key, values) => api.update(spec, key, values),
      remove: async (key) => { await api.remove(spec, key); },
    };
  }, { systemName: 'Sage X3', concurrency: CONCURRENCY, ...options });
}

/** Live records by key: one $query whose `where` ors the keys, per 20 keys, read in turn. */
export async function readByKey(api: SageX3Api, spec: ObjectSpec, keys: Key[]): Promise<Map<Key, Rec | null>> {
  const field = keyOf(spec);
  const unique = [...new Set(keys.filter((k) => k.trim() !== ''))];
  const found = new Map<string, Resource>();
  for (const part of chunk(unique, KEYS_PER_READ)) {
    const rows = await api.query(spec, part.map((k) => `${field} eq ${quote(k)}`).join(' or '), `${field} asc`);
    for (const row of rows) if (part.includes(String(row[field]))) found.set(String(row[field]), row);
  }
  return new Map(keys.map((key) => [key, toRecord(spec, found.get(key) ?? null)]));
}

/** A resource as a record: the declared properties ($uuid, $etag and the other $ metadata left out). */
export function toRecord(spec: ObjectSpec, resource: Resource | null): Rec | null {
  if (!resource) return null;
  return Object.fromEntries(spec.fields.map((f) => [f.name, resource[f.name] === '' ? null : resource[f.name] ?? null]));
}

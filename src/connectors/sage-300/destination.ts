import { chunk } from '../../platform/batch-isolation';
import type { DestinationContract, Key, Rec } from '../contract';
import { keyedEntityDestination } from '../kit';
import { literal, type Entity, type Sage300Api } from './api';
import { keyOf, sage300Resource, type Sage300Resource } from './objects';

/** Requests at once: the Web API takes one entity a request. */
export const CONCURRENCY = 4;
/** Keys per read: `$filter=Key eq 'a' or Key eq 'b' ...` travels in the URL. */
export const KEYS_PER_READ = 20;

/**
 * POST for new keys, PATCH with the changed properties for existing ones, DELETE by key, each one
 * entity a request (kit/keyed-entities.ts); a deleted entity comes back by a re-create under its key.
 */
export function sage300Destination(api: Sage300Api, options: { confirmWait?: (ms: number) => Promise<void> } = {}): DestinationContract {
  return keyedEntityDestination((object) => {
    const resource = sage300Resource(object);
    return {
      spec: resource.spec,
      read: (keys) => readByKey(api, resource, keys),
      create: async (values) => String((await api.create(resource, values))[keyOf(resource.spec)] ?? values[keyOf(resource.spec)]),
      update: (key, values) => api.update(resource, key, values),
      remove: async (key) => { await api.remove(resource, key); },
    };
  }, { systemName: 'Sage 300', concurrency: CONCURRENCY, ...options });
}

/**
 * Live records by key: one `$filter` of `eq` conditions joined by `or` per 20 keys, read in turn
 * (a refusal of the first costs one request). Keys compare exactly, as Sage 300 stores them.
 */
export async function readByKey(api: Sage300Api, resource: Sage300Resource, keys: Key[]): Promise<Map<Key, Rec | null>> {
  const field = keyOf(resource.spec);
  const select = resource.spec.fields.map((f) => f.name);
  const unique = [...new Set(keys.filter((k) => k.trim() !== ''))];
  const found = new Map<string, Entity>();
  for (const part of chunk(unique, KEYS_PER_READ)) {
    const rows = await api.list(resource, part.map((k) => `${field} eq ${literal(k)}`).join(' or '), select, part.length);
    for (const row of rows) if (part.includes(String(row[field]))) found.set(String(row[field]), row);
  }
  return new Map(keys.map((key) => [key, toRecord(resource, found.get(key) ?? null)]));
}

export function toRecord(resource: Sage300Resource, entity: Entity | null): Rec | null {
  if (!entity) return null;
  return Object.fromEntries(resource.spec.fields.map((f) => [f.name, entity[f.name] === '' ? null : entity[f.name] ?? null]));
}

import { chunk } from '../../platform/batch-isolation';
import type { Key, ObjectSpec, Rec } from '../contract';
import { keyNormaliser } from '../kit';
import { BATCH_LIMIT } from './objects';
import type { Entity, MarketoApi, Resource } from './api';

/** Live records by natural key: filterType=<key>, filterValues 300 a call, the spec's fields asked for by name. */
export async function readByKey(api: MarketoApi, spec: ObjectSpec, keyField: string, keys: Key[]): Promise<Map<Key, Rec | null>> {
  const normalise = keyNormaliser(spec, keyField);
  const wanted = [...new Set(keys.map(normalise).filter((k) => k !== ''))];
  const found = new Map<string, Entity>();
  for (const part of chunk(wanted, BATCH_LIMIT)) {
    for (const entity of await api.byFilter(spec.name as Resource, keyField, part, spec.fields.map((f) => f.name))) {
      const value = entity[keyField];
      if (value !== null && value !== undefined) found.set(normalise(String(value)), entity);
    }
  }
  return new Map(keys.map((key) => {
    const entity = found.get(normalise(key));
    return [key, entity ? toRecord(spec, entity) : null];
  }));
}

export function toRecord(spec: ObjectSpec, entity: Entity): Rec {
  return Object.fromEntries(spec.fields.map((f) => [f.name, entity[f.name] ?? null]));
}

import { chunk } from '../../platform/batch-isolation';
import { mapWithConcurrency } from '../../platform/concurrency';
import { isConnectorError } from '../../platform/errors';
import type { DestinationContract, Key, Rec, RecordResult } from '../contract';
import { deleteConfirmed, idsByKey, keyValue, recordLevelErrors, recreateValues, removeEach, sleep, writableValues } from '../kit';
import { literal, type Entity, type Sage300Api } from './api';
import { keyOf, sage300Resource, type Sage300Resource } from './objects';

/** Requests at once: the Web API takes one entity a request. */
export const CONCURRENCY = 4;

export interface Sage300DestinationOptions {
  confirmWait?: (ms: number) => Promise<void>;
}

export function sage300Destination(api: Sage300Api, options: Sage300DestinationOptions = {}): DestinationContract {
  return {
    read: (object, _keyField, keys) => readByKey(api, sage300Resource(object), keys),

    /** POST for new keys, PATCH for existing ones (read first); one request a record, 4 at once. */
    async write(object, op, keyField, records): Promise<RecordResult[]> {
      const resource = sage300Resource(object);
      const keys = records.map((r) => keyValue(r, keyField));
      const current = op === 'create' ? new Map<Key, Rec | null>() : await readByKey(api, resource, keys.filter((k) => k !== ''));
      return mapWithConcurrency(records, CONCURRENCY, async (record, index): Promise<RecordResult> => {
        const key = keys[index];
        const exists = current.get(key) ?? null;
        if (op !== 'create' && key === '') return { index, key, outcome: 'failed', errors: [{ field: keyField, message: `${keyField} is required to ${op}` }] };
        if (op === 'update' && !exists) return { index, key, outcome: 'failed', errors: [{ field: keyField, message: `no ${object} with ${keyField} ${key}` }] };
        try {
          if (exists) {
            const values = writableValues(resource.spec, record);
            delete values[keyOf(resource.spec)];
            await api.update(resource, key, values);
            return { index, key, id: key, outcome: 'updated' };
          }
          const created = await api.create(resource, writableValues(resource.spec, withoutBlanks(record)));
          const id = String(created[keyOf(resource.spec)] ?? key);
          return { index, key: key || id, id, outcome: 'created' };
        } catch (err) {
          const errors = recordLevelErrors(err);
          if (!errors) throw err;
          return { index, key, outcome: 'failed', errors };
        }
      }, { probeFirst: true });
    },

    /** DELETE per record (a 404 counts as gone), each confirmed by a read that no longer finds it. */
    delete(object, keyField, keys) {
      const resource = sage300Resource(object);
      return deleteConfirmed({
        systemName: 'Sage 300', object, keyField, keys, wait: options.confirmWait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, keyOf(resource.spec), (k) => readByKey(api, resource, k)),
        remove: (targets) => removeEach(targets, CONCURRENCY, async (t) => { await api.remove(resource, t.id); }, (err) => recordLevelErrors(err)),
        stillPresent: async (ids) => {
          const current = await readByKey(api, resource, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * Deletes cannot be undone natively: the record is created again from its before-image under
     * its own key (the key is the id, so its identity holds). One already there is taken as restored.
     */
    async restore(object, _keyField, before) {
      const resource = sage300Resource(object);
      const key = keyValue(before, keyOf(resource.spec));
      try {
        await api.create(resource, { ...recreateValues(resource.spec, before), [keyOf(resource.spec)]: key });
      } catch (err) {
        if (!(isConnectorError(err) && (await api.get(resource, key, [keyOf(resource.spec)])))) throw err;
      }
      return { id: key, recreated: true };
    },
  };
}

/** Keys per read: `$filter=Key eq 'a' or Key eq 'b' ...` travels in the URL. */
export const KEYS_PER_READ = 20;

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

function withoutBlanks(record: Rec): Rec {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined && v !== ''));
}

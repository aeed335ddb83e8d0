import type { DestinationContract, Key, Rec } from '../contract';
import { deleteConfirmed, fromDottedFields, idsByKey, recreateValues, removeEach, restoreOrRecreate, sleep } from '../kit';
import { recordErrors } from './errors';
import type { FbApi } from './fb-api';
import { findLive } from './lookup';
import { freshbooksObject, ID_FIELD, WRITE_CONCURRENCY, type FbObject } from './objects';
import { isDeleted, toRecord } from './records';
import { writeRecords } from './writer';

export interface FreshbooksDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

export function freshbooksDestination(api: FbApi, options: FreshbooksDestinationOptions = {}): DestinationContract {
  const readLive = async (target: FbObject, keyField: string, keys: Key[]): Promise<Map<Key, Rec | null>> => {
    const found = await findLive(api, target, keyField, keys);
    return new Map(keys.map((key) => {
      const resource = found.get(key) ?? null;
      return [key, resource ? toRecord(resource) : null];
    }));
  };

  return {
    /** Live resources only: a deleted one (vis_state 1) reads as absent. */
    read: (object, keyField, keys) => readLive(freshbooksObject(object), keyField, keys),

    write: (object, op, keyField, records) => writeRecords(api, freshbooksObject(object), op, keyField, records),

    /** Soft deletes (PUT vis_state 1, alone), one request each, confirmed by reads that find vis_state 1. */
    delete(object, keyField, keys) {
      const target = freshbooksObject(object);
      return deleteConfirmed({
        systemName: 'FreshBooks', object: target.spec.name, keyField, keys, wait: options.wait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, ID_FIELD, (k) => readLive(target, keyField, k)),
        remove: (targets) => removeEach(targets, WRITE_CONCURRENCY, async (t) => { await api.setVisState(target, t.id, 1); }, recordErrors),
        stillPresent: async (ids) => {
          const current = await findLive(api, target, ID_FIELD, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * The native restore: PUT vis_state 0 on the same id. A resource that is gone for good (404)
     * is re-created from its before-image, with a new id.
     */
    restore(object, _keyField, before) {
      const target = freshbooksObject(object);
      const formerId = before[ID_FIELD] === undefined || before[ID_FIELD] === null ? '' : String(before[ID_FIELD]);
      return restoreOrRecreate({
        native: async () => {
          if (!/^\d+$/.test(formerId)) return null;
          const current = await api.get(target, formerId);
          if (!current) return null;
          if (isDeleted(current)) await api.setVisState(target, formerId, 0);
          return formerId;
        },
        recreate: async () => String((await api.create(target, fromDottedFields(recreateValues(target.spec, before)))).id),
      });
    },
  };
}

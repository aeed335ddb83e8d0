import type { DestinationContract, Key, Rec } from '../contract';
import { deleteConfirmed, fromDottedFields, idsByKey, recordLevelErrors, recreateValues, removeEach, restoreOrRecreate, sleep } from '../kit';
import type { WorkdayApi } from './api';
import { findByKey } from './lookup';
import { ID_FIELD, WRITE_CONCURRENCY, workdayResource, type WorkdayResource } from './objects';
import { toRecord } from './records';
import { writeRecords } from './writer';

export interface WorkdayDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

export function workdayDestination(api: WorkdayApi, options: WorkdayDestinationOptions = {}): DestinationContract {
  const read = async (target: WorkdayResource, keyField: string, keys: Key[]): Promise<Map<Key, Rec | null>> => {
    const found = await findByKey(api, target, keyField, keys);
    return new Map(keys.map((key) => {
      const resource = found.get(key) ?? null;
      return [key, resource ? toRecord(resource) : null];
    }));
  };

  return {
    read: (object, keyField, keys) => read(workdayResource(object), keyField, keys),

    write: (object, op, keyField, records) => writeRecords(api, workdayResource(object), op, keyField, records),

    /** DELETE /<resource>/{ID}, one request each, confirmed by reads that answer 404. */
    delete(object, keyField, keys) {
      const target = workdayResource(object);
      return deleteConfirmed({
        systemName: 'Workday', object: target.spec.name, keyField, keys, wait: options.wait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, ID_FIELD, (k) => read(target, keyField, k)),
        remove: (targets) => removeEach(targets, WRITE_CONCURRENCY, (t) => api.remove(target, t.id), recordLevelErrors),
        stillPresent: async (ids) => {
          const current = await findByKey(api, target, ID_FIELD, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * Workday has no undelete: a deleted resource is re-created from its before-image (its reference
     * ID included, free again once the old one is gone), with a new Workday ID the load records. One
     * that still exists (the delete never happened) keeps its id.
     */
    restore(object, _keyField, before) {
      const target = workdayResource(object);
      const formerId = typeof before[ID_FIELD] === 'string' ? before[ID_FIELD] : '';
      return restoreOrRecreate({
        native: async () => (formerId !== '' && await api.get(target, formerId) ? formerId : null),
        recreate: async () => String((await api.create(target, fromDottedFields(recreateValues(target.spec, before)))).id),
      });
    },
  };
}

import { ConnectorError, isConnectorError } from '../../platform/errors';
import type { DestinationContract } from '../contract';
import { deleteConfirmed, idsByKey, recordLevelErrors, recreateValues, removeEach, sleep } from '../kit';
import type { ServiceNowApi } from './api';
import { SYSTEM } from './errors';
import { ID, servicenowObject } from './objects';
import { readByKey } from './reader';
import { toValues } from './records';
import { writeRecords } from './writer';

/** Deletes sent at once (the Table API deletes one record a request). */
export const DELETE_CONCURRENCY = 4;

export interface ServiceNowDestinationOptions {
  confirmWait?: (ms: number) => Promise<void>;
}

export function servicenowDestination(api: ServiceNowApi, options: ServiceNowDestinationOptions = {}): DestinationContract {
  return {
    read: (object, keyField, keys, fields) => readByKey(api, servicenowObject(object), keyField, keys, fields),

    write: (object, op, keyField, records) => writeRecords(api, servicenowObject(object), op, keyField, records),

    /** DELETE per record (a 404 counts as already gone), each confirmed by a read that no longer finds it. */
    delete(object, keyField, keys) {
      const spec = servicenowObject(object);
      return deleteConfirmed({
        systemName: 'ServiceNow', object, keyField, keys, wait: options.confirmWait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, ID, (k) => readByKey(api, spec, keyField, k)),
        remove: (targets) => removeEach(targets, DELETE_CONCURRENCY, async (t) => { await api.remove(spec.name, t.id); }, (err) => recordLevelErrors(err)),
        stillPresent: async (ids) => {
          const current = await readByKey(api, spec, ID, ids, []);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * A re-insert from the before-image with the record's own sys_id, which the Table API keeps: the
     * record comes back under its id (references to it hold again). The instance sets number,
     * sys_created_on and the stamps anew. A record already there under that sys_id is left as is.
     */
    async restore(object, _keyField, before) {
      const spec = servicenowObject(object);
      const sysId = typeof before[ID] === 'string' ? before[ID] : '';
      if (!sysId) {
        throw new ConnectorError({ kind: 'permanent', system: SYSTEM, fields: [{ field: ID, message: 'the before-image has no sys_id' }], message: `servicenow cannot restore ${object}: its before-image has no sys_id` });
      }
      try {
        const row = await api.insert(spec.name, { ...toValues(recreateValues(spec, before)), [ID]: sysId }, [ID]);
        return { id: String(row[ID] ?? sysId), recreated: false };
      } catch (err) {
        const present = isConnectorError(err) && (await readByKey(api, spec, ID, [sysId], [])).get(sysId);
        if (present) return { id: sysId, recreated: false };
        throw err;
      }
    },
  };
}

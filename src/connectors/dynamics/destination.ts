import { ConnectorError } from '../../platform/errors';
import type { DestinationContract, Rec } from '../contract';
import { deleteConfirmed, errorCode, idsByKey, recreateValues, removeEach, restoreOrRecreate, sleep } from '../kit';
import type { DataverseApi } from './api';
import { DUPLICATE_KEY, recordErrors, SYSTEM } from './errors';
import { dataverseObject, type DataverseObject } from './objects';
import { readByKey, rowPath } from './reader';
import { writeRecords } from './writer';

/** Row deletes in flight at once (well under the 52 concurrent requests the service protection limits allow). */
const DELETE_CONCURRENCY = 4;

export interface DynamicsDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

export function dynamicsDestination(api: DataverseApi, options: DynamicsDestinationOptions = {}): DestinationContract {
  return {
    read: (object, keyField, keys) => readByKey(api, dataverseObject(object), keyField, keys),

    write: (object, op, keyField, records) => writeRecords(api, dataverseObject(object), op, keyField, records),

    /**
     * DELETE {set}(<id>) one request per row (not a $batch: a rollback must still be able to delete
     * when the batch endpoint is what failed), confirmed by a read that no longer finds it.
     */
    delete(object, keyField, keys) {
      const target = dataverseObject(object);
      return deleteConfirmed({
        systemName: 'Dataverse', object, keyField, keys, wait: options.wait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, target.primaryKey, (k) => readByKey(api, target, keyField, k)),
        remove: (targets) => removeEach(targets, DELETE_CONCURRENCY, (t) => api.remove(rowPath(target, target.primaryKey, t.id)),
          (err) => recordErrors(err, [target.alternateKey])),
        stillPresent: async (ids) => {
          const current = await readByKey(api, target, target.primaryKey, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * Dataverse has no recycle bin for rows, but it accepts the primary key on create: the row is
     * re-created with its original GUID (references by id keep working). A before-image without its
     * id is re-created with a new one.
     */
    restore(object, _keyField, before) {
      const target = dataverseObject(object);
      const formerId = typeof before[target.primaryKey] === 'string' ? before[target.primaryKey] as string : '';
      return restoreOrRecreate({
        native: async () => (formerId === '' ? null : createWithId(api, target, before, formerId)),
        recreate: async () => create(api, target, recreateValues(target.spec, before)),
      });
    },
  };
}

/** POST with the former primary key; a row already there with that id (a retried restore) counts as restored. */
async function createWithId(api: DataverseApi, target: DataverseObject, before: Rec, id: string): Promise<string | null> {
  try {
    await api.write({ method: 'POST', url: target.entitySet, body: { ...recreateValues(target.spec, before), [target.primaryKey]: id } });
    return id;
  } catch (err) {
    if (errorCode(err) === DUPLICATE_KEY && (await readByKey(api, target, target.primaryKey, [id])).get(id)) return id;
    throw err;
  }
}

async function create(api: DataverseApi, target: DataverseObject, values: Rec): Promise<string> {
  const [result] = await writeRecords(api, target, 'create', target.primaryKey, [values]);
  if (result.outcome !== 'failed' && result.id) return result.id;
  throw new ConnectorError({
    kind: 'validation', system: SYSTEM, fields: result.errors,
    message: `dynamics could not re-create the deleted ${target.entitySet} row: ${result.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') ?? 'no result'}`,
  });
}

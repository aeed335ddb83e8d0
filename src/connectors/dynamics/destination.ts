import { ConnectorError } from '../../platform/errors';
import type { DestinationContract, FieldError, Rec } from '../contract';
import { deleteConfirmed, idsByKey, recreateValues, restoreOrRecreate, sleep } from '../kit';
import type { DataverseApi } from './api';
import { answerError, DUPLICATE_KEY, recordErrors, SYSTEM } from './errors';
import { dataverseObject, type DataverseObject } from './objects';
import { readByKey, rowPath } from './reader';
import { writeRecords } from './writer';

export interface DynamicsDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

export function dynamicsDestination(api: DataverseApi, options: DynamicsDestinationOptions = {}): DestinationContract {
  return {
    read: (object, keyField, keys) => readByKey(api, dataverseObject(object), keyField, keys),

    write: (object, op, keyField, records) => writeRecords(api, dataverseObject(object), op, keyField, records),

    /** DELETE {set}(<id>) for each row in one $batch (each answering for itself), confirmed by a read that no longer finds it. */
    delete(object, keyField, keys) {
      const target = dataverseObject(object);
      return deleteConfirmed({
        systemName: 'Dataverse', object, keyField, keys, wait: options.wait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, target.primaryKey, (k) => readByKey(api, target, keyField, k)),
        async remove(targets) {
          const answers = await api.batch(targets.map((t) => ({ method: 'DELETE', url: rowPath(target, target.primaryKey, t.id) })), false);
          const refused = new Map<string, FieldError[]>();
          targets.forEach((t, i) => {
            const answer = answers[i];
            if (!answer || (answer.status >= 200 && answer.status < 300) || answer.status === 404) return; // 404: gone already
            const err = answerError(answer.status, answer.headers, answer.body);
            const errors = recordErrors(err, [target.alternateKey]);
            if (!errors) throw err;
            refused.set(t.id, errors);
          });
          return refused;
        },
        stillPresent: async (ids) => {
          const current = await readByKey(api, target, target.primaryKey, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * Dataverse has no recycle bin for rows, but it accepts the primary key on create: the row is
     * re-created with its original GUID (references by id keep working). Only if that GUID cannot be
     * used is it re-created with a new one.
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
  const [answer] = await api.batch([{ method: 'POST', url: target.entitySet, body: { ...recreateValues(target.spec, before), [target.primaryKey]: id } }], false);
  if (answer && answer.status >= 200 && answer.status < 300) return id;
  const err = answerError(answer?.status ?? 500, answer?.headers ?? {}, answer?.body);
  if (err.code === DUPLICATE_KEY && (await readByKey(api, target, target.primaryKey, [id])).get(id)) return id;
  throw err;
}

async function create(api: DataverseApi, target: DataverseObject, values: Rec): Promise<string> {
  const [result] = await writeRecords(api, target, 'create', target.primaryKey, [values]);
  if (result.outcome !== 'failed' && result.id) return result.id;
  throw new ConnectorError({
    kind: 'validation', system: SYSTEM, fields: result.errors,
    message: `dynamics could not re-create the deleted ${target.entitySet} row: ${result.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') ?? 'no result'}`,
  });
}

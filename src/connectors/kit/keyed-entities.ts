import { mapWithConcurrency } from '../../platform/concurrency';
import { isConnectorError } from '../../platform/errors';
import type { ObjectSpec } from '../../platform/object-spec';
import type { Key, Rec, RecordResult, WriteOperation } from '../../platform/records';
import type { DestinationContract } from '../contract';
import { deleteConfirmed, removeEach, sleep } from './confirm-delete';
import { idsByKey, keyValue } from './keys';
import { recordLevelErrors } from './error-body';
import { recreateValues, writableValues } from './restore';

/**
 * Systems that write one entity a request under a key the user chose, which is also the entity's id
 * and never changes (Sage 300's CustomerNumber, Sage X3's BPCNUM): create, partial update and
 * delete by key, no native undelete. What differs per system is only how it is called.
 */
export interface KeyedEntities {
  spec: ObjectSpec;
  /** The live records with these keys (null for a key with none), read in as few requests as the system allows. */
  read(keys: Key[]): Promise<Map<Key, Rec | null>>;
  /** Creates one entity; answers the key it got. */
  create(values: Rec): Promise<string>;
  /** Changes only the properties given. */
  update(key: string, values: Rec): Promise<void>;
  /** Deletes one entity (gone already counts as done). */
  remove(key: string): Promise<void>;
}

export interface KeyedDestinationOptions {
  systemName: string;
  /** Requests at once (the first goes alone: a 401 or 429 costs one request). */
  concurrency: number;
  confirmWait?: (ms: number) => Promise<void>;
}

/**
 * The destination of such a system: writes read first (update vs create), one request a record;
 * an update never sends the key; deletes confirmed by reads; restore re-creates under the same key
 * (so the id holds), and a record already there under it counts as restored.
 */
export function keyedEntityDestination(entities: (object: string) => KeyedEntities, options: KeyedDestinationOptions): DestinationContract {
  return {
    read: (object, _keyField, keys) => entities(object).read(keys),

    async write(object, op: Exclude<WriteOperation, 'delete'>, keyField, records): Promise<RecordResult[]> {
      const e = entities(object);
      const idField = e.spec.naturalKeys[0];
      const keys = records.map((r) => keyValue(r, keyField));
      const current = op === 'create' ? new Map<Key, Rec | null>() : await e.read(keys.filter((k) => k !== ''));
      return mapWithConcurrency(records, options.concurrency, async (record, index): Promise<RecordResult> => {
        const key = keys[index];
        const exists = current.get(key) ?? null;
        if (op !== 'create' && key === '') return { index, key, outcome: 'failed', errors: [{ field: keyField, message: `${keyField} is required to ${op}` }] };
        if (op === 'update' && !exists) return { index, key, outcome: 'failed', errors: [{ field: keyField, message: `no ${object} with ${keyField} ${key}` }] };
        try {
          if (exists) {
            const values = writableValues(e.spec, record);
            delete values[idField];
            await e.update(key, values);
            return { index, key, id: key, outcome: 'updated' };
          }
          const id = await e.create(writableValues(e.spec, withoutBlanks(record)));
          return { index, key: key || id, id, outcome: 'created' };
        } catch (err) {
          const errors = recordLevelErrors(err);
          if (!errors) throw err;
          return { index, key, outcome: 'failed', errors };
        }
      }, { probeFirst: true });
    },

    delete(object, keyField, keys) {
      const e = entities(object);
      const idField = e.spec.naturalKeys[0];
      return deleteConfirmed({
        systemName: options.systemName, object, keyField, keys, wait: options.confirmWait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, idField, (k) => e.read(k)),
        remove: (targets) => removeEach(targets, options.concurrency, (t) => e.remove(t.id), (err) => recordLevelErrors(err)),
        stillPresent: async (ids) => {
          const current = await e.read(ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    async restore(object, _keyField, before) {
      const e = entities(object);
      const idField = e.spec.naturalKeys[0];
      const key = keyValue(before, idField);
      try {
        await e.create({ ...recreateValues(e.spec, before), [idField]: key });
      } catch (err) {
        if (!(isConnectorError(err) && (await e.read([key])).get(key))) throw err;
      }
      return { id: key, recreated: true };
    },
  };
}

function withoutBlanks(record: Rec): Rec {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined && v !== ''));
}

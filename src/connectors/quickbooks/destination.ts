import { ConnectorError } from '../../platform/errors';
import type { DestinationContract, FieldError, Key, Rec } from '../contract';
import { deleteConfirmed, fromDottedFields, idsByKey, isStaleVersion, recreateValues, restoreOrRecreate, sleep, withCurrentVersion } from '../kit';
import { SYSTEM } from './auth';
import { runItems, type PlannedItem } from './batch-items';
import { STALE_OBJECT } from './errors';
import { findByKey } from './lookup';
import { ID_FIELD, quickbooksObject, type QboObject } from './objects';
import type { QboApi } from './qbo-api';
import { toRecord, type Entity } from './records';
import { writeRecords } from './writer';

export interface QuickbooksDestinationOptions {
  /** Waits between confirmation reads; injectable for tests of the policy. */
  wait?: (ms: number) => Promise<void>;
}

export function quickbooksDestination(api: QboApi, options: QuickbooksDestinationOptions = {}): DestinationContract {
  const readLive = async (target: QboObject, keyField: string, keys: Key[]): Promise<Map<Key, Rec | null>> => {
    const found = await findByKey(api, target, keyField, keys, { includeInactive: false });
    return new Map(keys.map((key) => {
      const entity = found.get(key);
      return [key, entity ? toRecord(entity) : null];
    }));
  };

  return {
    /** Active entries only: an inactive customer or item, or a deleted invoice, reads as absent. */
    read: (object, keyField, keys) => readLive(quickbooksObject(object), keyField, keys),

    write: (object, op, keyField, records) => writeRecords(api, quickbooksObject(object), op, keyField, records),

    /**
     * Customers and items: made inactive (sparse update Active=false); invoices: deleted
     * (operation=delete). Both name the current SyncToken and are confirmed by a read that no
     * longer finds the entry among active ones.
     */
    delete(object, keyField, keys) {
      const target = quickbooksObject(object);
      return deleteConfirmed({
        systemName: 'QuickBooks', object: target.entity, keyField, keys, wait: options.wait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, ID_FIELD, (k) => readLive(target, keyField, k)),
        async remove(targets) {
          const current = await findByKey(api, target, ID_FIELD, targets.map((t) => t.id), { includeInactive: true });
          const refused = new Map<string, FieldError[]>();
          const items: Array<{ id: string; item: PlannedItem }> = [];
          for (const t of targets) {
            const entity = current.get(t.id);
            if (!entity) refused.set(t.id, [{ field: keyField, message: `no ${target.entity} with Id ${t.id}` }]);
            else items.push({ id: t.id, item: removal(target, entity) });
          }
          const outcomes = await runItems(api, target, items.map((i) => i.item));
          outcomes.forEach((outcome, i) => { if (!outcome.ok) refused.set(items[i].id, outcome.errors); });
          return refused;
        },
        stillPresent: async (ids) => {
          const live = await findByKey(api, target, ID_FIELD, ids, { includeInactive: false });
          return new Set(ids.filter((id) => live.get(id) !== undefined));
        },
      });
    },

    /**
     * Customers and items come back natively: the same Id made active again (sparse update
     * Active=true with the current SyncToken, and the name it had). A deleted invoice cannot come
     * back: it is re-created from its before-image, with a new Id.
     */
    restore(object, _keyField, before) {
      const target = quickbooksObject(object);
      return restoreOrRecreate({
        native: target.removal === 'deactivate' ? () => reactivate(api, target, before) : undefined,
        recreate: async () => String((await api.write(target.resource, target.entity, fromDottedFields(recreateValues(target.spec, before)))).Id),
      });
    },
  };
}

function removal(target: QboObject, entity: Entity): PlannedItem {
  const identity = { Id: String(entity.Id), SyncToken: String(entity.SyncToken) };
  return target.removal === 'deactivate'
    ? { operation: 'update', body: { ...identity, sparse: true, Active: false } }
    : { operation: 'delete', body: identity };
}

async function reactivate(api: QboApi, target: QboObject, before: Rec): Promise<string | null> {
  const id = before[ID_FIELD];
  if (id === undefined || id === null || id === '') return null;
  const current = await api.read(target.resource, target.entity, String(id));
  if (!current) return null;
  if (current.Active !== false) return String(current.Id);
  const name = target.nameField ? { [target.nameField]: before[target.nameField] ?? current[target.nameField] } : {};
  const restored = await withCurrentVersion({
    known: String(current.SyncToken),
    readVersion: async () => (await api.read(target.resource, target.entity, String(id)))?.SyncToken,
    attempt: (syncToken) => api.write(target.resource, target.entity, { Id: String(id), SyncToken: syncToken, sparse: true, Active: true, ...name }),
    isStale: (err) => isStaleVersion(err, [STALE_OBJECT]),
  });
  if (restored.Active === false) {
    throw new ConnectorError({ kind: 'transient', system: SYSTEM, message: `quickbooks answered the reactivation of ${target.entity} ${String(id)} but it is still inactive` });
  }
  return String(restored.Id);
}

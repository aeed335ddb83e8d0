import { chunk } from '../../platform/batch-isolation';
import { ConnectorError, isConnectorError } from '../../platform/errors';
import type { DestinationContract, FieldError } from '../contract';
import { deleteConfirmed, idsByKey, recreateValues, sleep } from '../kit';
import { SYSTEM } from './auth';
import type { CrmApi } from './crm-api';
import { conflictField, hubspotMessage } from './errors';
import { BATCH_LIMIT, hubspotObject, ID_PROPERTY } from './objects';
import { readByKey } from './reader';
import { writeRecords } from './writer';

export interface HubspotDestinationOptions {
  /** Waits between confirmation reads; injectable for tests of the policy. */
  wait?: (ms: number) => Promise<void>;
}

export function hubspotDestination(api: CrmApi, options: HubspotDestinationOptions = {}): DestinationContract {
  return {
    read: (object, keyField, keys, fields) => readByKey(api, hubspotObject(object).name, keyField, keys, fields),

    write: (object, op, keyField, records) => writeRecords(api, hubspotObject(object), op, keyField, records),

    /** Archives by id (batch/archive), confirmed by reads that no longer find the records. */
    delete(object, keyField, keys) {
      const name = hubspotObject(object).name;
      return deleteConfirmed({
        systemName: 'HubSpot', object: name, keyField, keys, wait: options.wait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, ID_PROPERTY, (k) => readByKey(api, name, keyField, k)),
        async remove(targets) {
          for (const part of chunk(targets, BATCH_LIMIT)) await api.batch(name, 'archive', { inputs: part.map((t) => ({ id: t.id })) });
          return new Map<string, FieldError[]>();
        },
        stillPresent: async (ids) => {
          const current = await readByKey(api, name, ID_PROPERTY, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * HubSpot's public API cannot restore an archived CRM record (only the UI's recycle bin can):
     * the record is re-created from its before-image's writable properties, with a new id.
     */
    async restore(object, keyField, before) {
      const spec = hubspotObject(object);
      try {
        const created = await api.create(spec.name, recreateValues(spec, before));
        return { id: created.id, recreated: true };
      } catch (err) {
        if (!isConnectorError(err) || err.kind !== 'conflict') throw err;
        const message = hubspotMessage(err);
        throw new ConnectorError({
          kind: 'conflict',
          system: SYSTEM,
          status: err.status,
          code: err.code,
          fields: [{ field: conflictField(message, keyField), message }],
          message: `hubspot cannot re-create the deleted ${spec.name} record ${String(before[ID_PROPERTY] ?? before[keyField] ?? '')}: `
            + `a record with the same unique value exists (${message}). HubSpot has no API to restore an archived record; restore it from the recycle bin or merge by hand.`,
        });
      }
    },
  };
}

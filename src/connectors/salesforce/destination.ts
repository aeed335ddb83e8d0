import { chunk } from '../../platform/batch-isolation';
import { ConnectorError } from '../../platform/errors';
import type { DestinationContract, FieldError, Rec } from '../contract';
import { deleteConfirmed, idsByKey, recreateValues, restoreOrRecreate, sleep } from '../kit';
import type { SalesforceApi } from './api';
import { recordFieldErrors, SYSTEM } from './errors';
import { COLLECTION_LIMIT, ID_FIELD, salesforceObject } from './objects';
import { readByKey } from './reader';
import { writeRecords } from './writer';

/** Delete answers that mean the record is already gone. */
const ALREADY_GONE = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);

export interface SalesforceDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

export function salesforceDestination(api: SalesforceApi, options: SalesforceDestinationOptions = {}): DestinationContract {
  return {
    read: (object, keyField, keys, fields) => readByKey(api, salesforceObject(object).name, keyField, keys, fields),

    write: (object, op, keyField, records) => writeRecords(api, salesforceObject(object).name, op, keyField, records),

    /** Deletes by Id into the recycle bin (keys resolved first), confirmed by reads that no longer find the records. */
    delete(object, keyField, keys) {
      const name = salesforceObject(object).name;
      return deleteConfirmed({
        systemName: 'Salesforce', object: name, keyField, keys, wait: options.wait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, ID_FIELD, (k) => readByKey(api, name, keyField, k, [ID_FIELD])),
        async remove(targets) {
          const refused = new Map<string, FieldError[]>();
          for (const part of chunk(targets.map((t) => t.id), COLLECTION_LIMIT)) {
            const results = await api.delete(part);
            part.forEach((id, i) => {
              const result = results[i];
              if (result && !result.success && !result.errors.some((e) => ALREADY_GONE.has(e.statusCode))) refused.set(id, recordFieldErrors(result.errors, keyField));
            });
          }
          return refused;
        },
        stillPresent: async (ids) => {
          const current = await readByKey(api, name, ID_FIELD, ids, [ID_FIELD]);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * The recycle bin first: SOAP undelete() brings the record back with its Id and every field.
     * Once it has left the recycle bin (15 days, or emptied), the record is re-created from its
     * before-image's writable fields, with a new Id.
     */
    restore(object, keyField, before) {
      const name = salesforceObject(object).name;
      const id = before[ID_FIELD] ? String(before[ID_FIELD]) : '';
      return restoreOrRecreate({
        native: async () => {
          if (id === '') return null;
          const [result] = await api.undelete([id]);
          if (result?.success) return result.id || id;
          const codes = (result?.errors ?? []).map((e) => e.statusCode);
          if (codes.includes('UNDELETE_FAILED') && (await readByKey(api, name, ID_FIELD, [id], [ID_FIELD])).get(id)) {
            return id; // not in the recycle bin because it is live: restored already
          }
          if (codes.includes('DUPLICATE_VALUE')) {
            throw new ConnectorError({
              kind: 'conflict', system: SYSTEM, code: 'DUPLICATE_VALUE', fields: recordFieldErrors(result!.errors, keyField),
              message: `salesforce cannot undelete ${name} ${id}: ${result!.errors.map((e) => e.message).join('; ')}`,
            });
          }
          return null;
        },
        recreate: () => recreate(api, name, keyField, before),
      });
    },
  };
}

async function recreate(api: SalesforceApi, object: string, keyField: string, before: Rec): Promise<string> {
  const [result] = await api.create([{ attributes: { type: object }, ...recreateValues(salesforceObject(object), before) }]);
  if (result?.success && result.id) return result.id;
  throw new ConnectorError({
    kind: 'validation', system: SYSTEM, fields: recordFieldErrors(result?.errors ?? [], keyField),
    message: `salesforce could not re-create the deleted ${object} record ${String(before[ID_FIELD] ?? before[keyField] ?? '')}: ${(result?.errors ?? []).map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'no result'}`,
  });
}

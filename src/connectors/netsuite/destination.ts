import { ConnectorError } from '../../platform/errors';
import type { DestinationContract, Rec } from '../contract';
import { deleteConfirmed, idsByKey, recreateValues, removeEach, restoreOrRecreate, sleep } from '../kit';
import type { NetSuiteApi } from './api';
import { recordErrors, SYSTEM } from './errors';
import { EXTERNAL_ID_FIELD, ID_FIELD, netsuiteObject, type NetSuiteObject } from './objects';
import { readByKey, readIds } from './reader';
import { writeRecords } from './writer';

export interface NetSuiteDestinationOptions {
  timeZone: string;
  concurrency: number;
  wait?: (ms: number) => Promise<void>;
}

export function netsuiteDestination(api: NetSuiteApi, options: NetSuiteDestinationOptions): DestinationContract {
  return {
    read: (object, keyField, keys, fields) => readByKey(api, netsuiteObject(object), keyField, keys, fields, options),

    write: (object, op, keyField, records, writeOptions) =>
      writeRecords(api, netsuiteObject(object), op, keyField, records, { concurrency: options.concurrency, idempotencyKeys: writeOptions?.idempotencyKeys ?? [] }),

    /** DELETE by internal id (keys resolved first), one request per record, each confirmed by a SuiteQL read that no longer finds it. */
    delete(object, keyField, keys) {
      const target = netsuiteObject(object);
      return deleteConfirmed({
        systemName: 'NetSuite', object, keyField, keys, wait: options.wait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, ID_FIELD, async (k) => {
          const ids = await readIds(api, target, keyField, k);
          return new Map(k.map((key) => [key, ids.has(key.trim()) ? { [ID_FIELD]: ids.get(key.trim()) } : null]));
        }),
        remove: (targets) => removeEach(targets, options.concurrency, (t) => api.remove(target.recordType, t.id), recordErrors),
        stillPresent: async (ids) => new Set((await readIds(api, target, ID_FIELD, ids)).keys()),
      });
    },

    /**
     * NetSuite cannot undelete: a deleted record is re-created from its before-image (a new internal
     * id), keeping its externalId. When a record with that externalId is already there (a retried
     * restore whose create got through), that one is the re-created record.
     */
    restore(object, _keyField, before, restoreOptions) {
      const target = netsuiteObject(object);
      return restoreOrRecreate({
        recreate: async () => {
          const externalId = typeof before[EXTERNAL_ID_FIELD] === 'string' ? before[EXTERNAL_ID_FIELD] : '';
          const existing = externalId === '' ? undefined : (await readIds(api, target, EXTERNAL_ID_FIELD, [externalId])).get(externalId);
          return existing ?? recreate(api, target, before, restoreOptions?.idempotencyKey);
        },
      });
    },
  };
}

async function recreate(api: NetSuiteApi, target: NetSuiteObject, before: Rec, idempotencyKey: string | undefined): Promise<string> {
  try {
    return await api.create(target.recordType, recreateValues(target.spec, before), idempotencyKey);
  } catch (err) {
    const fields = recordErrors(err);
    if (!fields) throw err;
    throw new ConnectorError({
      kind: 'validation', system: SYSTEM, fields, cause: err,
      message: `netsuite could not re-create the deleted ${target.recordType} ${String(before[ID_FIELD] ?? before[EXTERNAL_ID_FIELD] ?? '')}: ${(err as Error).message}`,
    });
  }
}

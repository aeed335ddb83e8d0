import { chunk } from '../../platform/batch-isolation';
import { ConnectorError } from '../../platform/errors';
import type { DestinationContract, FieldError } from '../contract';
import { deleteConfirmed, idsByKey, recreateValues, restoreOrRecreate, sleep } from '../kit';
import type { MarketoApi } from './api';
import { reasonErrors, SYSTEM } from './errors';
import { BATCH_LIMIT, ID, leadSpec, marketoObject } from './objects';
import { readByKey } from './reader';
import { writeRecords } from './writer';

export interface MarketoDestinationOptions {
  confirmWait?: (ms: number) => Promise<void>;
}

export function marketoDestination(api: MarketoApi, options: MarketoDestinationOptions = {}): DestinationContract {
  return {
    read: (object, keyField, keys) => readByKey(api, marketoObject(object), keyField, keys),

    write: (object, op, keyField, records) => writeRecords(api, marketoObject(object), op, keyField, records),

    /** delete.json by id, 300 a call; a `skipped` id is refused with its reasons; each delete confirmed by a read. */
    delete(object, keyField, keys) {
      const spec = marketoObject(object);
      return deleteConfirmed({
        systemName: 'Marketo', object, keyField, keys, wait: options.confirmWait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, ID, (k) => readByKey(api, spec, keyField, k)),
        async remove(targets) {
          const refused = new Map<string, FieldError[]>();
          for (const part of chunk(targets, BATCH_LIMIT)) {
            const ids = part.map((t) => Number(t.id));
            const results = spec.name === leadSpec.name ? await api.deleteLeads(ids) : await api.deleteCompanies(ids);
            part.forEach((t, i) => {
              const r = results[i];
              if (r && r.status !== 'deleted' && !(r.reasons ?? []).some((reason) => String(reason.code) === '1004')) refused.set(t.id, reasonErrors(r.reasons, ID));
            });
          }
          return refused;
        },
        stillPresent: async (ids) => {
          const current = await readByKey(api, spec, ID, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /** Marketo has no undelete: the record is re-created (createOnly) from its before-image, with a new id. */
    restore(object, keyField, before) {
      const spec = marketoObject(object);
      const key = keyField === ID ? spec.naturalKeys[1] : keyField;
      return restoreOrRecreate({
        recreate: async () => {
          const [result] = await writeRecords(api, spec, 'create', key, [recreateValues(spec, before)]);
          if (result.outcome !== 'created' || !result.id) {
            throw new ConnectorError({ kind: 'validation', system: SYSTEM, fields: result.errors, message: `marketo refused to re-create ${object} ${String(before[key])}: ${(result.errors ?? []).map((e) => e.message).join('; ')}` });
          }
          return result.id;
        },
      });
    },
  };
}

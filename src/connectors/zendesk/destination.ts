import { chunk } from '../../platform/batch-isolation';
import type { DestinationContract, FieldError } from '../contract';
import { deleteConfirmed, idsByKey, recreateValues, restoreOrRecreate, sleep } from '../kit';
import { BULK_LIMIT, type ZendeskApi } from './api';
import { jobItemErrors } from './errors';
import { runJob, type JobOptions } from './jobs';
import { ID, zendeskObject } from './objects';
import { readByKey } from './reader';
import { toPayload } from './records';
import { writeRecords } from './writer';

export interface ZendeskDestinationOptions extends JobOptions {
  /** Waits between confirmation reads; injectable for tests of the policy. */
  confirmWait?: (ms: number) => Promise<void>;
}

export function zendeskDestination(api: ZendeskApi, options: ZendeskDestinationOptions = {}): DestinationContract {
  return {
    read: (object, keyField, keys) => readByKey(api, zendeskObject(object).spec, keyField, keys),

    write: (object, op, keyField, records) => writeRecords(api, zendeskObject(object).spec, op, keyField, records, options),

    /**
     * destroy_many (100 ids a job), each delete confirmed by a read that no longer finds the record:
     * tickets leave show_many, users read as inactive. Items the job failed are refused records.
     */
    delete(object, keyField, keys) {
      const { spec, resource } = zendeskObject(object);
      return deleteConfirmed({
        systemName: 'Zendesk', object, keyField, keys, wait: options.confirmWait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, ID, (k) => readByKey(api, spec, keyField, k)),
        async remove(targets) {
          const refused = new Map<string, FieldError[]>();
          for (const part of chunk(targets, BULK_LIMIT)) {
            const results = await runJob(api, await api.destroyMany(resource, part.map((t) => t.id)), options);
            for (const r of results) {
              const target = part[r.index ?? -1] ?? part.find((t) => t.id === String(r.id));
              if (target && r.success === false) refused.set(target.id, jobItemErrors(r.details, r.error, []));
            }
          }
          return refused;
        },
        stillPresent: async (ids) => {
          const current = await readByKey(api, spec, ID, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * Tickets: PUT /api/v2/deleted_tickets/{id}/restore, which keeps the id, within the 30 days
     * Zendesk keeps deleted tickets; after that, and for users (no restore API), a re-create from
     * the before-image with a new id (a 422 then names the offending field, e.g. a reused email).
     */
    restore(object, _keyField, before) {
      const { spec, resource } = zendeskObject(object);
      const formerId = before[ID] === undefined || before[ID] === null ? undefined : String(before[ID]);
      return restoreOrRecreate({
        native: async () => (resource === 'tickets' && formerId && await api.restoreTicket(formerId) ? formerId : null),
        recreate: async () => String((await api.createOne(resource, toPayload(spec, recreateValues(spec, before), 'create'))).id),
      });
    },
  };
}

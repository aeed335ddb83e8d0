import { chunk } from '../../platform/batch-isolation';
import { ConnectorError, isConnectorError } from '../../platform/errors';
import type { DestinationContract, Key, Rec, RecordResult } from '../contract';
import { SYSTEM } from './auth';
import type { CrmApi } from './crm-api';
import { conflictField, hubspotMessage } from './errors';
import { BATCH_LIMIT, hubspotObject, ID_PROPERTY } from './objects';
import { readByKey } from './reader';
import { writableProperties } from './records';
import { writeRecords } from './writer';

/** Reads that confirm a delete, spaced out in case HubSpot's reads lag its writes. */
const CONFIRM_ATTEMPTS = 3;
const CONFIRM_BACKOFF_MS = 200;

export interface HubspotDestinationOptions {
  /** Waits between confirmation reads; injectable for tests of the policy. */
  wait?: (ms: number) => Promise<void>;
}

export function hubspotDestination(api: CrmApi, options: HubspotDestinationOptions = {}): DestinationContract {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  return {
    read: (object, keyField, keys, fields) => readByKey(api, hubspotObject(object).name, keyField, keys, fields),

    write: (object, op, keyField, records) => writeRecords(api, hubspotObject(object), op, keyField, records),

    /** Archives by id (keys resolved first), then confirms with reads that no longer find the records. */
    async delete(object, keyField, keys) {
      const spec = hubspotObject(object);
      const ids = await idsOf(api, spec.name, keyField, keys);
      const toArchive = [...new Set([...ids.values()].filter((id): id is string => id !== null))];
      for (const part of chunk(toArchive, BATCH_LIMIT)) {
        await api.batch(spec.name, 'archive', { inputs: part.map((id) => ({ id })) });
      }
      const stillThere = await confirmGone(api, spec.name, toArchive, wait);
      return keys.map((key, index): RecordResult => {
        const id = ids.get(key) ?? null;
        if (id === null) return { index, key, outcome: 'deleted' }; // nothing to delete: already gone
        if (!stillThere.has(id)) return { index, key, id, outcome: 'deleted' };
        return {
          index, key, id, outcome: 'failed',
          errors: [{ field: keyField, message: `HubSpot answered success to the archive of ${spec.name} ${id}, but the record is still there (read back after ${CONFIRM_ATTEMPTS} attempts)` }],
        };
      });
    },

    /**
     * HubSpot's public API cannot restore an archived CRM record (only the UI's recycle bin can):
     * the record is re-created from its before-image's writable properties, with a new id.
     */
    async restore(object, keyField, before) {
      const spec = hubspotObject(object);
      const properties = Object.fromEntries(Object.entries(writableProperties(spec, before)).filter(([, v]) => v !== null && v !== undefined && v !== ''));
      try {
        const created = await api.create(spec.name, properties);
        return { id: created.id, recreated: true };
      } catch (err) {
        if (!isConnectorError(err) || err.kind !== 'conflict') throw err;
        const message = hubspotMessage(err);
        throw new ConnectorError({
          kind: 'conflict',
          system: SYSTEM,
          status: err.status,
          fields: [{ field: conflictField(message, keyField), message }],
          message: `hubspot cannot re-create the deleted ${spec.name} record ${String(before[ID_PROPERTY] ?? before[keyField] ?? '')}: `
            + `a record with the same unique value exists (${message}). HubSpot has no API to restore an archived record; restore it from the recycle bin or merge by hand.`,
        });
      }
    },
  };
}

/** The HubSpot id of each key: the key itself when it is the id, else looked up (null: no such record). */
async function idsOf(api: CrmApi, object: string, keyField: string, keys: Key[]): Promise<Map<Key, string | null>> {
  if (keyField === ID_PROPERTY) return new Map(keys.map((key) => [key, key.trim() === '' ? null : key.trim()]));
  const current = await readByKey(api, object, keyField, keys);
  return new Map(keys.map((key) => [key, idOf(current.get(key) ?? null)]));
}

function idOf(record: Rec | null): string | null {
  const id = record?.[ID_PROPERTY];
  return id === undefined || id === null ? null : String(id);
}

/** The ids a read still finds after the archive, retried briefly for reads that lag. */
async function confirmGone(api: CrmApi, object: string, ids: string[], wait: (ms: number) => Promise<void>): Promise<Set<string>> {
  let remaining = ids;
  for (let attempt = 1; remaining.length > 0 && attempt <= CONFIRM_ATTEMPTS; attempt++) {
    if (attempt > 1) await wait(CONFIRM_BACKOFF_MS * (attempt - 1));
    const current = await readByKey(api, object, ID_PROPERTY, remaining);
    remaining = remaining.filter((id) => current.get(id) !== null);
  }
  return new Set(remaining);
}

import { chunk } from '../../platform/batch-isolation';
import { ConnectorError } from '../../platform/errors';
import type { DestinationContract, Key, Rec, RecordResult } from '../contract';
import type { SalesforceApi } from './api';
import { recordFieldErrors, SYSTEM } from './errors';
import { COLLECTION_LIMIT, ID_FIELD, salesforceObject } from './objects';
import { readByKey } from './reader';
import { writableFields } from './records';
import { writeRecords } from './writer';

/** Reads that confirm a delete, spaced out in case a read lags the delete. */
const CONFIRM_ATTEMPTS = 3;
const CONFIRM_BACKOFF_MS = 200;
/** Delete answers that mean the record is already gone. */
const ALREADY_GONE = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY']);

export interface SalesforceDestinationOptions {
  wait?: (ms: number) => Promise<void>;
}

export function salesforceDestination(api: SalesforceApi, options: SalesforceDestinationOptions = {}): DestinationContract {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  return {
    read: (object, keyField, keys, fields) => readByKey(api, salesforceObject(object).name, keyField, keys, fields),

    write: (object, op, keyField, records) => writeRecords(api, salesforceObject(object).name, op, keyField, records),

    /** Deletes by Id (keys resolved first) into the recycle bin, then confirms with reads that no longer find the records. */
    async delete(object, keyField, keys) {
      const name = salesforceObject(object).name;
      const ids = await idsOf(api, name, keyField, keys);
      const toDelete = [...new Set([...ids.values()].filter((id): id is string => id !== null))];
      const refused = new Map<string, RecordResult['errors']>();
      for (const part of chunk(toDelete, COLLECTION_LIMIT)) {
        const results = await api.delete(part);
        part.forEach((id, i) => {
          const result = results[i];
          if (result && !result.success && !result.errors.some((e) => ALREADY_GONE.has(e.statusCode))) refused.set(id, recordFieldErrors(result.errors, keyField));
        });
      }
      const stillThere = await confirmGone(api, name, toDelete.filter((id) => !refused.has(id)), wait);
      return keys.map((key, index): RecordResult => {
        const id = ids.get(key) ?? null;
        if (id === null) return { index, key, outcome: 'deleted' }; // nothing to delete: already gone
        if (refused.has(id)) return { index, key, id, outcome: 'failed', errors: refused.get(id) };
        if (!stillThere.has(id)) return { index, key, id, outcome: 'deleted' };
        return {
          index, key, id, outcome: 'failed',
          errors: [{ field: keyField, message: `Salesforce answered success to the delete of ${name} ${id}, but the record is still there (read back after ${CONFIRM_ATTEMPTS} attempts)` }],
        };
      });
    },

    /**
     * The recycle bin first: SOAP undelete() brings the record back with its Id and every field.
     * Once it has left the recycle bin (15 days, or emptied), the record is re-created from its
     * before-image's writable fields, with a new Id.
     */
    async restore(object, keyField, before) {
      const name = salesforceObject(object).name;
      const id = before[ID_FIELD] ? String(before[ID_FIELD]) : '';
      if (id !== '') {
        const [result] = await api.undelete([id]);
        if (result?.success) return { id: result.id || id, recreated: false };
        const codes = (result?.errors ?? []).map((e) => e.statusCode);
        if (codes.includes('UNDELETE_FAILED') && (await readByKey(api, name, ID_FIELD, [id], [ID_FIELD])).get(id)) {
          return { id, recreated: false }; // not in the recycle bin because it is live: restored already
        }
        if (codes.includes('DUPLICATE_VALUE')) {
          throw new ConnectorError({
            kind: 'conflict', system: SYSTEM, fields: recordFieldErrors(result!.errors, keyField),
            message: `salesforce cannot undelete ${name} ${id}: ${result!.errors.map((e) => e.message).join('; ')}`,
          });
        }
      }
      return recreate(api, name, keyField, before);
    },
  };
}

async function recreate(api: SalesforceApi, object: string, keyField: string, before: Rec): Promise<{ id: string; recreated: boolean }> {
  const fields = Object.fromEntries(Object.entries(writableFields(before)).filter(([, v]) => v !== null && v !== undefined && v !== ''));
  const [result] = await api.create([{ attributes: { type: object }, ...fields }]);
  if (result?.success && result.id) return { id: result.id, recreated: true };
  throw new ConnectorError({
    kind: 'validation', system: SYSTEM, fields: recordFieldErrors(result?.errors ?? [], keyField),
    message: `salesforce could not re-create the deleted ${object} record ${String(before[ID_FIELD] ?? before[keyField] ?? '')}: ${(result?.errors ?? []).map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'no result'}`,
  });
}

/** The Salesforce Id of each key: the key itself when it is the Id, else looked up (null: no such record). */
async function idsOf(api: SalesforceApi, object: string, keyField: string, keys: Key[]): Promise<Map<Key, string | null>> {
  if (keyField === ID_FIELD) return new Map(keys.map((key) => [key, key.trim() === '' ? null : key.trim()]));
  const current = await readByKey(api, object, keyField, keys, [ID_FIELD]);
  return new Map(keys.map((key) => [key, current.get(key)?.[ID_FIELD] ? String(current.get(key)![ID_FIELD]) : null]));
}

/** The ids a read still finds after the delete, retried briefly for reads that lag. */
async function confirmGone(api: SalesforceApi, object: string, ids: string[], wait: (ms: number) => Promise<void>): Promise<Set<string>> {
  let remaining = ids;
  for (let attempt = 1; remaining.length > 0 && attempt <= CONFIRM_ATTEMPTS; attempt++) {
    if (attempt > 1) await wait(CONFIRM_BACKOFF_MS * (attempt - 1));
    const current = await readByKey(api, object, ID_FIELD, remaining, [ID_FIELD]);
    remaining = remaining.filter((id) => current.get(id) !== null);
  }
  return new Set(remaining);
}

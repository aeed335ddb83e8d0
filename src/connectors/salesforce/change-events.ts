import { chunk } from '../../platform/batch-isolation';
import type { ChangeEvent } from '../contract';
import type { SalesforceApi, SObjectRecord } from './api';
import { ID_FIELD } from './objects';
import { flatten, looksLikeId } from './records';
import { captureFields, changeOf } from './source';
import { soqlName, soqlString } from './soql';
import type { DeliveredEvent } from './streaming';

/** Ids per `WHERE Id IN (...)` query: keeps the query string well under the URL length limit. */
const IDS_PER_QUERY = 100;

/**
 * Change events as the Stream takes them: whole records. An UPDATE event carries only the fields it
 * changed, so the records named by creates, updates and undeletes are read as they are now, with
 * one queryAll per 100 ids; a record found deleted (or gone) is left to the DELETE event that
 * follows it in replay order. Deletes become op 'delete' without data. Gap events (GAP_CREATE,
 * GAP_UPDATE, GAP_DELETE, GAP_UNDELETE: header only, "Gap Events") are read the same way.
 *
 * `version` orders one record's changes: the commit's time (ms), its commit number and the event's
 * sequence in the transaction, so two updates within one second stay two versions (SystemModstamp
 * alone, whole seconds, would fold them into one and keep the older).
 *
 * Except at the handover: an event committed no later than the backfill's last second
 * (`backfilledTo`) may be a change the backfill already read. Such events take the poll's own
 * version of the record as it is now (its SystemModstamp, source.ts changeOf), so the Stream keeps
 * one of the two. The backfill read that second at least the settle margin after it ended, so no
 * later change of the record can share that second: folding them loses nothing.
 */
export async function changeEventsOf(api: SalesforceApi, object: string, events: DeliveredEvent[], backfilledTo: number): Promise<ChangeEvent[]> {
  const current = await currentRecords(api, object, events
    .filter((e) => !isDelete(e) || maybeBackfilled(e, backfilledTo))
    .flatMap((e) => e.payload.ChangeEventHeader.recordIds));
  return events.flatMap((event) => {
    const header = event.payload.ChangeEventHeader;
    const occurredAt = new Date(header.commitTimestamp).toISOString();
    const version = `${occurredAt}/${String(header.commitNumber).padStart(20, '0')}/${String(header.sequenceNumber).padStart(6, '0')}`;
    const deleted = isDelete(event);
    return header.recordIds.flatMap((recordId): ChangeEvent[] => {
      const record = current.get(recordId);
      if (maybeBackfilled(event, backfilledTo) && record && (record.IsDeleted === true) === deleted) return [changeOf(object, record)];
      if (deleted) return [{ object, recordId, op: 'delete', occurredAt, version, data: null }];
      if (!record || record.IsDeleted === true) return [];
      return [{ object, recordId, op: 'upsert', occurredAt, version, data: flatten(record) }];
    });
  });
}

/** Committed no later than the backfill's last second: the backfill may have read this change. */
export function maybeBackfilled(event: DeliveredEvent, backfilledTo: number): boolean {
  return event.payload.ChangeEventHeader.commitTimestamp < backfilledTo + 1000;
}

function isDelete(event: DeliveredEvent): boolean {
  return event.payload.ChangeEventHeader.changeType === 'DELETE' || event.payload.ChangeEventHeader.changeType === 'GAP_DELETE';
}

async function currentRecords(api: SalesforceApi, object: string, ids: string[]): Promise<Map<string, SObjectRecord>> {
  const found = new Map<string, SObjectRecord>();
  const wanted = [...new Set(ids)].filter(looksLikeId);
  if (wanted.length === 0) return found;
  const fields = await captureFields(api, object);
  for (const part of chunk(wanted, IDS_PER_QUERY)) {
    const soql = `SELECT ${fields.map(soqlName).join(', ')} FROM ${soqlName(object)} WHERE ${ID_FIELD} IN (${part.map(soqlString).join(', ')})`;
    for (const record of await api.queryAll(soql, { includeDeleted: true })) found.set(String(record[ID_FIELD]), record);
  }
  return found;
}

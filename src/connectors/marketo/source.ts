import { z } from 'zod';
import { ConnectorError } from '../../platform/errors';
import type { CapturePage, ChangeEvent, SourceContract } from '../contract';
import { captureOptions, parseCursor, type CaptureOptions } from '../kit';
import type { LeadChange, MarketoApi } from './api';
import { SYSTEM } from './errors';
import { ID, leadSpec, marketoObject } from './objects';
import { readByKey } from './reader';

/**
 * Lead capture through the Activities API: the first poll gets a paging token for `since`
 * (GET /activities/pagingtoken.json?sinceDatetime=), then each poll reads one page of lead changes
 * (New Lead and Change Data Value for the spec's fields) and one page of deleted leads, each from its
 * own token, and keeps the tokens those pages answer. A lead changed on a page becomes one upsert
 * carrying its current record (read by id); a lead gone by then is left to its Delete Lead
 * activity. Versions are activity ids (one increasing sequence for all activity types), so a
 * delete always orders after the changes before it. Marketo keeps activities for 90 days: a capture
 * paused longer loses changes.
 */
export interface MarketoCursor {
  changes: string;
  deletes: string;
}

const cursorSchema = z.object({ changes: z.string().min(1), deletes: z.string().min(1) });
/** Activities per page (Marketo's batchSize maximum). */
const PAGE_LIMIT = 300;

export interface MarketoSourceOptions extends CaptureOptions {
  /** Where the first poll starts. Default: the Unix epoch (everything Marketo still keeps). */
  since?: Date;
}

export function marketoSource(api: MarketoApi, options: MarketoSourceOptions = {}): SourceContract {
  const { budget } = captureOptions(options);
  const batchSize = Math.min(budget, PAGE_LIMIT);
  return {
    async capture(object, raw): Promise<CapturePage> {
      const spec = marketoObject(object);
      if (spec.name !== leadSpec.name) {
        throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `marketo logs no activities for ${spec.name}: only leads can be captured` });
      }
      const cursor: MarketoCursor = raw === null || raw === undefined ? await start(api, options.since ?? new Date(0)) : parseCursor(SYSTEM, cursorSchema, raw, () => ({ changes: '', deletes: '' }));
      const fields = spec.fields.filter((f) => !f.readOnly).map((f) => f.name);
      const [changes, deletes] = await Promise.all([api.leadChanges(cursor.changes, fields, batchSize), api.deletedLeads(cursor.deletes, batchSize)]);
      const latest = latestPerLead(changes.result);
      const current = await readByKey(api, spec, ID, [...latest.keys()]);
      const events: ChangeEvent[] = [];
      for (const [leadId, activity] of latest) {
        const data = current.get(leadId);
        if (data) events.push({ object: spec.name, recordId: leadId, op: 'upsert', occurredAt: isoOf(activity.activityDate), version: versionOf(activity), data });
      }
      for (const activity of deletes.result) {
        events.push({ object: spec.name, recordId: String(activity.leadId), op: 'delete', occurredAt: isoOf(activity.activityDate), version: versionOf(activity), data: null });
      }
      events.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
      return { changes: events, cursor: { changes: changes.nextPageToken, deletes: deletes.nextPageToken } satisfies MarketoCursor, hasMore: changes.moreResult || deletes.moreResult };
    },
  };
}

async function start(api: MarketoApi, since: Date): Promise<MarketoCursor> {
  const token = await api.pagingToken(since);
  return { changes: token, deletes: token };
}

/** The newest activity of each lead on the page (several fields changed at once are several activities). */
function latestPerLead(activities: LeadChange[]): Map<string, LeadChange> {
  const latest = new Map<string, LeadChange>();
  for (const a of activities) {
    const seen = latest.get(String(a.leadId));
    if (!seen || a.id > seen.id) latest.set(String(a.leadId), a);
  }
  return latest;
}

function versionOf(activity: LeadChange): string {
  return String(activity.id).padStart(20, '0');
}

function isoOf(date: string): string {
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? new Date(0).toISOString() : new Date(ms).toISOString();
}

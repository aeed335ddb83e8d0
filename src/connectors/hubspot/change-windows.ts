import type { CrmApi, CrmRecord, SearchFilter } from './crm-api';
import { byPosition, cutToBudget, epochMs } from '../kit';
import { idFilterValue, type Position, type PositionedChange, type StreamRead } from './capture-position';
import { ID_PROPERTY, lastModifiedProperty } from './objects';
import { flatten } from './records';

/** HubSpot's largest search page. */
const SEARCH_PAGE_SIZE = 200;

export interface ChangeWindowOptions {
  object: string;
  properties: string[];
  /** Read at most about this many changes. */
  budget: number;
  /** Changes modified after this (epoch ms) are left for a later poll (search index lag). */
  until: number;
}

/**
 * Created and updated records, from CRM search, without ever paging (so HubSpot's 10,000-result cap
 * never applies): every query starts from the position, as a keyset.
 *   1. The rest of the position's own timestamp: modified = at AND hs_object_id > id, by id. Many
 *      records can share one timestamp (bulk imports); this walks them 200 at a time by id.
 *   2. Then what is newer: at < modified <= until, by modified. A full page may cut a timestamp in
 *      two, so only the records strictly older than the page's last timestamp are taken (they are
 *      complete), and the position moves to (that last timestamp, '') for step 1 to walk it.
 */
export async function readChangeWindows(api: CrmApi, from: Position, options: ChangeWindowOptions): Promise<StreamRead> {
  const modified = lastModifiedProperty(options.object);
  const changes: PositionedChange[] = [];
  let position = from;

  const search = (filters: SearchFilter[], sortBy: string) => api.search(options.object, {
    filterGroups: [{ filters }],
    sorts: [{ propertyName: sortBy, direction: 'ASCENDING' }],
    properties: options.properties,
    limit: SEARCH_PAGE_SIZE,
  });
  const toChanges = (records: CrmRecord[]) => records.map((r) => upsertOf(options.object, r, modified)).sort(byPosition);

  while (changes.length < options.budget) {
    if (position.at > 0) {
      const sameTime = toChanges((await search([
        { propertyName: modified, operator: 'EQ', value: String(position.at) },
        { propertyName: ID_PROPERTY, operator: 'GT', value: idFilterValue(position) },
      ], ID_PROPERTY)).results);
      changes.push(...sameTime);
      if (sameTime.length > 0) position = sameTime[sameTime.length - 1].position;
      if (sameTime.length === SEARCH_PAGE_SIZE) continue;
    }
    const newer = toChanges((await search([
      { propertyName: modified, operator: 'GT', value: String(position.at) },
      { propertyName: modified, operator: 'LTE', value: String(options.until) },
    ], modified)).results);
    if (newer.length < SEARCH_PAGE_SIZE) {
      changes.push(...newer);
      if (newer.length > 0) position = newer[newer.length - 1].position;
      return cutToBudget({ changes, next: position, caughtUp: true }, options.budget);
    }
    const lastAt = newer[newer.length - 1].position.at;
    changes.push(...newer.filter((c) => c.position.at < lastAt));
    position = { at: lastAt, id: '' };
  }
  return cutToBudget({ changes, next: position, caughtUp: false }, options.budget);
}

function upsertOf(object: string, record: CrmRecord, modified: string): PositionedChange {
  const at = epochMs(record.properties[modified]) ?? epochMs(record.updatedAt) ?? 0;
  const occurredAt = new Date(at).toISOString();
  return {
    position: { at, id: record.id },
    event: { object, recordId: record.id, op: 'upsert', occurredAt, version: `${occurredAt}/${record.id}`, data: flatten(record) },
  };
}

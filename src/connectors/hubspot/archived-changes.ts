import type { CrmApi, CrmRecord } from './crm-api';
import { byPosition, comparePositions, epochMs } from '../kit';
import type { Position, PositionedChange, StreamRead } from './capture-position';
import { ID_PROPERTY } from './objects';

/**
 * Deletes: HubSpot's search never shows archived records, and the archived list
 * (GET /crm/v3/objects/{object}?archived=true, with archivedAt) cannot be filtered. So the list is
 * read whole and what was archived after the position (archivedAt, then id) is taken in that order.
 * Its cost grows with the archive (HubSpot keeps archived records 90 days).
 */
export async function readArchivedChanges(api: CrmApi, object: string, from: Position, budget: number): Promise<StreamRead> {
  const newer: PositionedChange[] = [];
  for await (const record of api.archived(object, [ID_PROPERTY])) {
    const change = deleteOf(object, record);
    if (change && comparePositions(change.position, from) > 0) newer.push(change);
  }
  newer.sort(byPosition);
  const changes = newer.slice(0, budget);
  const next = changes.length > 0 ? changes[changes.length - 1].position : from;
  return { changes, next, caughtUp: changes.length === newer.length };
}

function deleteOf(object: string, record: CrmRecord): PositionedChange | undefined {
  const at = epochMs(record.archivedAt);
  if (at === undefined) return undefined;
  const occurredAt = new Date(at).toISOString();
  return {
    position: { at, id: record.id },
    // '/deleted' sorts after '/<digits>': a delete stamped the same instant as the last update stays the newer version.
    event: { object, recordId: record.id, op: 'delete', occurredAt, version: `${occurredAt}/deleted`, data: null },
  };
}

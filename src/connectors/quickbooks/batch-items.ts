import { chunk } from '../../platform/batch-isolation';
import { ConnectorError } from '../../platform/errors';
import type { FieldError } from '../contract';
import { isStaleVersion, withCurrentVersion } from '../kit';
import { SYSTEM } from './auth';
import { faultFields, recordErrors, STALE_OBJECT } from './errors';
import { BATCH_LIMIT, type QboObject } from './objects';
import type { BatchItemResponse, BatchOperation, QboApi } from './qbo-api';
import type { Entity } from './records';

/** One create, update or delete of an entity, as a batch item will carry it. */
export interface PlannedItem {
  operation: BatchOperation;
  body: Entity;
}

export type ItemOutcome = { ok: true; entity: Entity } | { ok: false; errors: FieldError[] };

/**
 * Sends items in batches of 30 and reads each BatchItemResponse back by its bId: an entity is done,
 * a Fault fails that item alone with the fields its elements name. An item refused with 5010 "Stale
 * Object Error" (its SyncToken moved since it was read) is sent again on its own with the current
 * SyncToken, re-read each time (kit/version-token.ts). Failures of whole calls are thrown.
 */
export async function runItems(api: QboApi, target: QboObject, items: PlannedItem[]): Promise<ItemOutcome[]> {
  const outcomes = new Array<ItemOutcome>(items.length);
  const stale: number[] = [];
  const indexed = items.map((item, index) => ({ item, index }));
  for (const part of chunk(indexed, BATCH_LIMIT)) {
    const answers = await api.batch(part.map(({ item }, position) => ({ bId: String(position), operation: item.operation, entity: target.entity, body: item.body })));
    const byBId = new Map<string, BatchItemResponse>(answers.map((a) => [String(a.bId), a]));
    part.forEach(({ index }, position) => {
      const answer = byBId.get(String(position));
      const entity = answer?.[target.entity] as Entity | undefined;
      if (answer?.Fault) {
        if (answer.Fault.Error?.some((e) => e.code === STALE_OBJECT)) stale.push(index);
        else outcomes[index] = { ok: false, errors: faultFields(answer.Fault, target.nameField) };
      } else if (entity) {
        outcomes[index] = { ok: true, entity };
      } else {
        outcomes[index] = { ok: false, errors: [{ field: '*', message: 'QuickBooks answered the batch without a result for this item' }] };
      }
    });
  }
  for (const index of stale) outcomes[index] = await againWithCurrentToken(api, target, items[index]);
  return outcomes;
}

async function againWithCurrentToken(api: QboApi, target: QboObject, item: PlannedItem): Promise<ItemOutcome> {
  const id = String(item.body.Id);
  try {
    const entity = await withCurrentVersion({
      readVersion: async () => (await api.read(target.resource, target.entity, id))?.SyncToken,
      attempt: (syncToken) => {
        if (syncToken === undefined) {
          throw new ConnectorError({ kind: 'not_found', system: SYSTEM, fields: [{ field: 'Id', message: `${target.entity} ${id} no longer exists` }], message: `quickbooks ${target.entity} ${id} no longer exists` });
        }
        return api.write(target.resource, target.entity, { ...item.body, SyncToken: syncToken }, item.operation === 'delete' ? 'delete' : undefined);
      },
      isStale: (err) => isStaleVersion(err, [STALE_OBJECT]),
    });
    return { ok: true, entity };
  } catch (err) {
    const errors = recordErrors(err);
    if (!errors) throw err;
    return { ok: false, errors };
  }
}

import type { HandlerContext } from '../kit';
import { ENTITIES, isObject, type Fields } from './entities';
import { faults, QboFault } from './errors';
import { createEntity, deleteEntity, presentEntity, updateEntity } from './operations';
import { runQuery } from './query';

/**
 * POST /v3/company/{realmId}/batch ("Batch operation", Accounting API docs):
 *   { BatchItemRequest: [{ bId, operation: 'create' | 'update' | 'delete', Customer | Item | Invoice: {...} }
 *                        | { bId, Query: 'select ...' }] }
 * answers 200 { BatchItemResponse: [{ bId, <Entity> } | { bId, Fault: { Error: [...], type } }
 * | { bId, QueryResponse }], time }: one item's refusal is its own Fault, the others are applied.
 * Items run one after another, in order. At most 30 items per request ("API call limits and
 * throttles": recommended maximum 30 payloads); more is refused as a whole.
 */
export const MAX_BATCH_ITEMS = 30;

export function runBatch(ctx: HandlerContext, body: unknown, time: string): Fields {
  const items = isObject(body) ? body.BatchItemRequest : undefined;
  if (!Array.isArray(items) || items.length === 0) throw faults.requiredParam('BatchItemRequest');
  if (items.length > MAX_BATCH_ITEMS) {
    throw faults.invalidValue('BatchItemRequest', `A batch holds at most ${MAX_BATCH_ITEMS} BatchItemRequest items; this one has ${items.length}`);
  }
  const seen = new Set<string>();
  for (const item of items) {
    const bId = isObject(item) ? item.bId : undefined;
    if (typeof bId !== 'string' || bId === '') throw faults.requiredParam('BatchItemRequest.bId');
    if (seen.has(bId)) throw faults.invalidValue('BatchItemRequest.bId', `bId ${bId} is used twice`);
    seen.add(bId);
  }
  return { BatchItemResponse: (items as Fields[]).map((item) => runItem(ctx, item)), time };
}

function runItem(ctx: HandlerContext, item: Fields): Fields {
  const bId = item.bId as string;
  try {
    if (typeof item.Query === 'string') return { bId, QueryResponse: runQuery(ctx.records, item.Query) };
    const spec = ENTITIES.find((e) => isObject(item[e.name]));
    if (!spec) throw faults.requiredParam('Customer|Item|Invoice');
    const payload = item[spec.name];
    switch (item.operation) {
      case 'create': return { bId, [spec.name]: presentEntity(spec, createEntity(ctx, spec, payload)) };
      case 'update': return { bId, [spec.name]: presentEntity(spec, updateEntity(ctx, spec, payload)) };
      case 'delete': return { bId, [spec.name]: deleteEntity(ctx, spec, payload) };
      default: throw faults.invalidEnumeration('operation', item.operation, ['create', 'update', 'delete']);
    }
  } catch (error) {
    if (error instanceof QboFault) return { bId, Fault: error.fault };
    throw error;
  }
}

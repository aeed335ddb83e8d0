import type { Rec } from '../contract';
import { inStoredKeyOrder, writableValues } from '../kit';
import { isObject } from './errors';
import type { QboObject } from './objects';

/** An entity as QuickBooks answers it. */
export type Entity = Record<string, unknown> & { Id?: string; SyncToken?: string; Active?: boolean; status?: string };

/**
 * An entity as the platform sees it: nested objects as dotted fields (PrimaryEmailAddr.Address),
 * arrays as they are, except Line, which is read back in the form a write sends it.
 */
export function toRecord(entity: Entity): Rec {
  const record: Rec = {};
  const visit = (prefix: string, value: unknown): void => {
    if (isObject(value)) for (const [key, child] of Object.entries(value)) visit(prefix ? `${prefix}.${key}` : key, child);
    else record[prefix] = value;
  };
  for (const [key, value] of Object.entries(entity)) {
    if (key === 'Line' && Array.isArray(value)) record.Line = writtenLines(value);
    else visit(key, value);
  }
  return record;
}

/**
 * Invoice lines as a write sends them: QuickBooks adds a subtotal line, line ids and numbers, and
 * item names, none of which a load writes; what is left is in the key order a stored load keeps.
 */
function writtenLines(lines: unknown[]): unknown[] {
  return inStoredKeyOrder(lines.filter(isObject).filter((line) => line.DetailType !== 'SubTotalLineDetail').map((line) => {
    const detail = isObject(line.SalesItemLineDetail) ? line.SalesItemLineDetail : undefined;
    const itemRef = detail && isObject(detail.ItemRef) ? { value: detail.ItemRef.value } : undefined;
    return {
      Amount: line.Amount,
      DetailType: line.DetailType,
      ...(line.Description !== undefined && line.Description !== null && line.Description !== '' ? { Description: line.Description } : {}),
      ...(detail ? { SalesItemLineDetail: { ...(itemRef ? { ItemRef: itemRef } : {}), Qty: detail.Qty, UnitPrice: detail.UnitPrice } } : {}),
    };
  }));
}

/** What a write sends of a record: its writable fields, dotted names nested again. */
export function toEntity(target: QboObject, record: Rec): Entity {
  return nest(writableValues(target.spec, record));
}

export function nest(flat: Rec): Entity {
  const entity: Entity = {};
  for (const [name, value] of Object.entries(flat)) {
    const path = name.split('.');
    let node: Record<string, unknown> = entity;
    for (const segment of path.slice(0, -1)) {
      if (!isObject(node[segment])) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return entity;
}

/** A tombstone of the change feed: { status: 'Deleted', Id, MetaData }. */
export function isTombstone(entity: Entity): boolean {
  return entity.status === 'Deleted';
}

import type { Rec } from '../contract';
import { fromDottedFields, inStoredKeyOrder, toDottedFields, writableValues } from '../kit';
import { isObject } from './errors';
import type { QboObject } from './objects';

/** An entity as QuickBooks answers it. */
export type Entity = Record<string, unknown> & { Id?: string; SyncToken?: string; Active?: boolean; status?: string };

/**
 * An entity as the platform sees it: nested objects as dotted fields (PrimaryEmailAddr.Address),
 * arrays as they are, except Line, which is read back in the form a write sends it.
 */
export function toRecord(entity: Entity): Rec {
  const record = toDottedFields(entity);
  if (Array.isArray(entity.Line)) record.Line = writtenLines(entity.Line);
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
  return fromDottedFields(writableValues(target.spec, record));
}

/** A tombstone of the change feed: { status: 'Deleted', Id, MetaData }. */
export function isTombstone(entity: Entity): boolean {
  return entity.status === 'Deleted';
}

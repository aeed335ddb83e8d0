import type { NewRecord } from '../kit';
import { entityByName, isObject, type Fields } from './entities';

/**
 * A record given to POST /__sandbox/seed, in the entity's API shape: `Id` (optional), `Active: false`
 * for an inactive name-list entry, `status: 'Deleted'` for a deleted invoice, `MetaData` times, any
 * other property as is. What QuickBooks derives (names, totals, line ids) is filled in without the
 * checks a real write gets: seeds set up state, they are not requests.
 */
export function quickbooksSeedRecord(object: string, input: Record<string, unknown>): NewRecord {
  const spec = entityByName(object);
  if (!spec) throw new Error(`unknown entity ${object}`);
  const { Id, Active, status, MetaData, SyncToken, domain: _domain, sparse: _sparse, ...fields } = input;
  const meta = isObject(MetaData) ? MetaData : {};
  const archived = spec.kind === 'name-list' ? Active === false : status === 'Deleted';
  return {
    ...(Id !== undefined ? { id: String(Id) } : {}),
    ...(typeof meta.CreateTime === 'string' ? { createdAt: new Date(meta.CreateTime).toISOString() } : {}),
    ...(typeof meta.LastUpdatedTime === 'string' ? { updatedAt: new Date(meta.LastUpdatedTime).toISOString() } : {}),
    archived,
    fields: { ...derived(spec.name, fields), SyncToken: String(SyncToken ?? '0') },
  };
}

function derived(entity: string, fields: Fields): Fields {
  if (entity === 'Customer') return { Balance: 0, ...fields, FullyQualifiedName: fields.DisplayName };
  if (entity === 'Item') return { Type: 'Service', ...fields, FullyQualifiedName: fields.Name };
  const lines = (Array.isArray(fields.Line) ? fields.Line : []).filter(isObject).map((line, i) => {
    const detail = isObject(line.SalesItemLineDetail) ? line.SalesItemLineDetail : {};
    const amount = line.Amount ?? Number(detail.Qty ?? 1) * Number(detail.UnitPrice ?? 0);
    return { Id: String(i + 1), LineNum: i + 1, ...line, Amount: Number(amount) };
  });
  const total = lines.reduce((sum, line) => sum + line.Amount, 0);
  return { ...fields, Line: lines, TotalAmt: total, Balance: total };
}

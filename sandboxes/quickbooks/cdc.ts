import type { HandlerContext, StoredRecord } from '../kit';
import { wholeSecond } from './company-time';
import { entityByName, type EntitySpec, type Fields } from './entities';
import { faults } from './errors';
import { presentEntity, tombstone } from './operations';

/**
 * GET /v3/company/{realmId}/cdc?entities=Customer,Invoice&changedSince=<date-time> ("Change data
 * capture operation", Accounting API docs): every entity of the listed kinds changed at or after
 * changedSince, in full, and deleted transactions as { domain, status: 'Deleted', Id, MetaData }.
 * Look-back is at most 30 days; one answer holds at most 1,000 objects. Which ones QuickBooks keeps
 * past that is not documented: the sandbox keeps the 1,000 most recently changed, so a client that
 * took a full answer for a complete one would lose the oldest changes.
 *   { CDCResponse: [{ QueryResponse: [{ Customer: [...], startPosition, maxResults, totalCount }, ...] }], time }
 */
export const CDC_LOOKBACK_MS = 30 * 86_400_000;
export const CDC_MAX_OBJECTS = 1000;

export function runCdc(ctx: HandlerContext, query: URLSearchParams, time: string): Fields {
  const entityList = query.get('entities');
  if (!entityList) throw faults.requiredParam('entities');
  const specs = entityList.split(',').map((name) => {
    const spec = entityByName(name.trim());
    if (!spec) throw faults.invalidEnumeration('entities', name.trim(), ['Customer', 'Item', 'Invoice']);
    return spec;
  });
  const since = query.get('changedSince');
  if (!since) throw faults.requiredParam('changedSince');
  const sinceMs = Date.parse(since);
  if (Number.isNaN(sinceMs)) throw faults.invalidDate('changedSince', since);
  if (ctx.clock.nowMs() - sinceMs > CDC_LOOKBACK_MS) {
    throw faults.invalidValue('changedSince', `changedSince ${since} is more than 30 days ago: CDC looks back 30 days at most`);
  }
  const changed: Array<{ spec: EntitySpec; record: StoredRecord }> = [];
  for (const spec of specs) {
    for (const record of ctx.records.list(spec.name)) {
      if (wholeSecond(record.updatedAt) >= wholeSecond(new Date(sinceMs).toISOString())) changed.push({ spec, record });
    }
  }
  changed.sort((a, b) => Date.parse(b.record.updatedAt) - Date.parse(a.record.updatedAt));
  const kept = changed.slice(0, CDC_MAX_OBJECTS);
  const responses = specs.map((spec) => {
    const entities = kept.filter((c) => c.spec === spec).map((c) => c.record)
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((record) => (spec.kind === 'transaction' && record.archived ? tombstone(record) : presentEntity(spec, record)));
    return { [spec.name]: entities, startPosition: 1, maxResults: entities.length, totalCount: entities.length };
  });
  return { CDCResponse: [{ QueryResponse: responses }], time };
}

import type { TimeBound, TimeField } from '../kit';
import type { ObjectSpec } from './objects';
import { toEpochMs } from './properties';
import type { SearchFilter, SearchSort } from './search';

const ID_PROPERTY = 'hs_object_id';

/** A search answered from the record store's time index: a range of live records, in page order. */
export interface IndexedSearch {
  field: TimeField;
  lower: TimeBound[];
  upper: TimeBound[];
}

/**
 * The index range that holds exactly the records a search matches, in the order it sorts them,
 * or undefined when the search needs a scan. It covers what a change feed over search asks:
 *   - sorted ascending by a date (createdate, the last-modified date), with filters on that date
 *     only: the index order (date, then id) is the search's order (by value, ties by id);
 *   - sorted ascending by hs_object_id, with the date pinned by EQ and filters on the date or the
 *     id: within one date the index is in id order.
 * Any other filter, a text query, several filter groups or a descending sort take the scan.
 */
export function planIndexedSearch(spec: ObjectSpec, groups: SearchFilter[][], sort: SearchSort | undefined, query: string | undefined): IndexedSearch | undefined {
  if (query !== undefined || groups.length !== 1 || !sort || sort.descending) return undefined;
  const filters = groups[0];
  const timeFieldOf = (name: string): TimeField | undefined =>
    name === 'createdate' ? 'createdAt' : spec.lastModifiedProperties.includes(name) ? 'updatedAt' : undefined;
  const pin = filters.find((f) => f.operator === 'EQ' && timeFieldOf(f.propertyName) !== undefined);
  const field = timeFieldOf(sort.propertyName) ?? (sort.propertyName === ID_PROPERTY && pin ? timeFieldOf(pin.propertyName) : undefined);
  if (!field) return undefined;
  const pinnedMs = pin && timeFieldOf(pin.propertyName) === field ? epochMs(pin.value) : undefined;

  const plan: IndexedSearch = { field, lower: [], upper: [] };
  for (const filter of filters) {
    const folded = timeFieldOf(filter.propertyName) === field
      ? foldTime(plan, filter)
      : filter.propertyName === ID_PROPERTY && pinnedMs !== undefined && foldId(plan, filter, pinnedMs);
    if (!folded) return undefined;
  }
  return plan;
}

function epochMs(value: string | undefined): number | undefined {
  return value === undefined ? undefined : toEpochMs(value);
}

function foldTime(plan: IndexedSearch, filter: SearchFilter): boolean {
  const ms = epochMs(filter.value);
  if (ms === undefined) return false;
  switch (filter.operator) {
    case 'EQ':
      return addBounds(plan, { ms, inclusive: true }, { ms, inclusive: true });
    case 'GT':
      return addBounds(plan, { ms, inclusive: false }, undefined);
    case 'GTE':
      return addBounds(plan, { ms, inclusive: true }, undefined);
    case 'LT':
      return addBounds(plan, undefined, { ms, inclusive: false });
    case 'LTE':
      return addBounds(plan, undefined, { ms, inclusive: true });
    case 'BETWEEN': {
      const high = epochMs(filter.highValue);
      return high !== undefined && addBounds(plan, { ms, inclusive: true }, { ms: high, inclusive: true });
    }
    default:
      return false;
  }
}

function foldId(plan: IndexedSearch, filter: SearchFilter, ms: number): boolean {
  const id = filter.value;
  if (id === undefined || id.trim() === '' || !Number.isFinite(Number(id))) return false;
  switch (filter.operator) {
    case 'EQ':
      return addBounds(plan, { ms, id, inclusive: true }, { ms, id, inclusive: true });
    case 'GT':
      return addBounds(plan, { ms, id, inclusive: false }, undefined);
    case 'GTE':
      return addBounds(plan, { ms, id, inclusive: true }, undefined);
    case 'LT':
      return addBounds(plan, undefined, { ms, id, inclusive: false });
    case 'LTE':
      return addBounds(plan, undefined, { ms, id, inclusive: true });
    default:
      return false;
  }
}

function addBounds(plan: IndexedSearch, lower: TimeBound | undefined, upper: TimeBound | undefined): true {
  if (lower) plan.lower.push(lower);
  if (upper) plan.upper.push(upper);
  return true;
}

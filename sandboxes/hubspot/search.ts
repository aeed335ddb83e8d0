import { json, offsetPage, parseOffset, ReplyError, type HandlerContext, type RecordView, type Reply, type Route, type StoredRecord } from '../kit';
import { validationError } from './errors';
import { objectFromPath } from './lookup';
import type { ObjectCatalog, ObjectSpec, PropertyType } from './objects';
import { allPropertyValues, presentRecord, toEpochMs } from './properties';
import { asObject, stringArray } from './request-body';
import { planIndexedSearch } from './search-plan';

/** Search limits from HubSpot's CRM search guide. */
export const searchLimits = { maxPageSize: 200, defaultPageSize: 10, maxTotalResults: 10_000, maxFilterGroups: 5, maxFiltersPerGroup: 6, maxFilters: 18 };

const operators = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'] as const;
type Operator = (typeof operators)[number];

export interface SearchFilter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

/** POST /crm/v3/objects/{objectType}/search */
export function searchRoute(catalog: ObjectCatalog): Route {
  return { method: 'POST', path: '/crm/v3/objects/:objectType/search', handle: (req, ctx) => search(catalog, req.params.objectType, req.body, ctx) };
}

function search(catalog: ObjectCatalog, objectType: string | undefined, body: unknown, ctx: HandlerContext): Reply {
  const spec = objectFromPath(catalog, objectType, ctx.correlationId);
  const input = body === undefined ? {} : asObject(body, ctx);
  const limit = input.limit === undefined ? searchLimits.defaultPageSize : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > searchLimits.maxPageSize) {
    throw bad(ctx, `Invalid input JSON: limit must be between 0 and ${searchLimits.maxPageSize}, was ${String(input.limit)}`);
  }
  const offset = parseOffset(typeof input.after === 'string' || typeof input.after === 'number' ? input.after : undefined);
  if (offset >= searchLimits.maxTotalResults) {
    throw bad(ctx, `Search results are limited to ${searchLimits.maxTotalResults} total results; paging past result ${searchLimits.maxTotalResults} (after=${offset}) is not supported. Narrow the query.`);
  }
  const groups = readFilterGroups(catalog, spec, input.filterGroups, ctx);
  const sort = readSort(catalog, spec, input.sorts, ctx);
  const query = typeof input.query === 'string' && input.query.trim() ? input.query.trim().toLowerCase() : undefined;

  const properties = stringArray(input.properties);
  const plan = planIndexedSearch(spec, groups, sort, query);
  const range = plan && ctx.records.liveByTime(spec.name, plan.field, plan.lower, plan.upper);
  const { total, records } = range
    ? { total: range.count, records: range.slice(offset, limit) }
    : scanSearch(catalog, spec, ctx.records, { groups, sort, query, offset, limit });
  const next = offset + limit < total ? offset + limit : undefined;
  return json(200, {
    total,
    results: records.map((record) => presentRecord(spec, record as StoredRecord, properties)),
    ...(next !== undefined ? { paging: { next: { after: String(next) } } } : {}),
  });
}

export interface ScanQuery {
  groups: SearchFilter[][];
  sort: SearchSort | undefined;
  query: string | undefined;
  offset: number;
  limit: number;
}

/** Every visible record checked against the filters, the matches sorted: what no index answers. */
export function scanSearch(catalog: ObjectCatalog, spec: ObjectSpec, records: RecordView, q: ScanQuery): { total: number; records: StoredRecord[] } {
  // Scanned in place (no copy of the table per search): records are only read here and presented after.
  const matching: Row[] = [];
  records.eachVisible(spec.name, (record) => {
    if (record.archived) return;
    const values = allPropertyValues(spec, record as StoredRecord);
    if (q.groups.length > 0 && !q.groups.some((filters) => filters.every((f) => matchesFilter(propertyType(catalog, spec, f.propertyName), values[f.propertyName], f)))) return;
    if (q.query && !spec.defaultProperties.some((name) => values[name]?.toLowerCase().includes(q.query as string))) return;
    matching.push({ record: record as StoredRecord, values });
  });
  matching.sort((a, b) => compareForSort(a, b, q.sort, catalog, spec));
  return { total: matching.length, records: offsetPage(matching, { after: q.offset, limit: q.limit }).items.map((m) => m.record) };
}

function readFilterGroups(catalog: ObjectCatalog, spec: ObjectSpec, raw: unknown, ctx: HandlerContext): SearchFilter[][] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw bad(ctx, 'Invalid input JSON: filterGroups must be an array');
  if (raw.length > searchLimits.maxFilterGroups) throw bad(ctx, `Too many filter groups: ${raw.length}. The maximum is ${searchLimits.maxFilterGroups}.`);
  const groups = raw.map((group: unknown) => {
    const filters = group && typeof group === 'object' ? (group as { filters?: unknown }).filters : undefined;
    if (!Array.isArray(filters)) throw bad(ctx, 'Invalid input JSON: each filter group needs a filters array');
    if (filters.length > searchLimits.maxFiltersPerGroup) throw bad(ctx, `Too many filters in a group: ${filters.length}. The maximum is ${searchLimits.maxFiltersPerGroup}.`);
    return filters.map((f: unknown) => readFilter(catalog, spec, f, ctx));
  });
  const total = groups.reduce((n, g) => n + g.length, 0);
  if (total > searchLimits.maxFilters) throw bad(ctx, `Too many filters: ${total}. The maximum is ${searchLimits.maxFilters}.`);
  return groups;
}

function readFilter(catalog: ObjectCatalog, spec: ObjectSpec, raw: unknown, ctx: HandlerContext): SearchFilter {
  const f = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const propertyName = typeof f.propertyName === 'string' ? f.propertyName : '';
  const operator = (typeof f.operator === 'string' ? f.operator : 'EQ') as Operator;
  if (!operators.includes(operator)) throw bad(ctx, `Unsupported filter operator: ${operator}`);
  if (!catalog.property(spec, propertyName)) {
    throw new ReplyError(validationError(ctx.correlationId, `Property "${propertyName}" does not exist`, [{ message: `Property "${propertyName}" does not exist`, code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: [propertyName] } }]));
  }
  const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
  return {
    propertyName,
    operator,
    value: text(f.value),
    highValue: text(f.highValue),
    values: Array.isArray(f.values) ? f.values.map((v) => String(v)) : undefined,
  };
}

export interface SearchSort {
  propertyName: string;
  descending: boolean;
}

function readSort(catalog: ObjectCatalog, spec: ObjectSpec, raw: unknown, ctx: HandlerContext): SearchSort | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const first: unknown = raw[0];
  const sort = typeof first === 'string' ? { propertyName: first.replace(/^-/, ''), direction: first.startsWith('-') ? 'DESCENDING' : 'ASCENDING' } : ((first ?? {}) as Record<string, unknown>);
  const propertyName = typeof sort.propertyName === 'string' ? sort.propertyName : '';
  if (!catalog.property(spec, propertyName)) throw bad(ctx, `Property "${propertyName}" does not exist`);
  return { propertyName, descending: sort.direction === 'DESCENDING' };
}

function propertyType(catalog: ObjectCatalog, spec: ObjectSpec, name: string): PropertyType {
  return catalog.property(spec, name)?.type ?? 'string';
}

/** Compares two property values by the property's type; undefined when either side is missing or unparseable. */
function compareValues(type: PropertyType, left: string | undefined, right: string | undefined): number | undefined {
  if (left === undefined || right === undefined) return undefined;
  if (type === 'datetime') {
    const a = toEpochMs(left);
    const b = toEpochMs(right);
    return a === undefined || b === undefined ? undefined : a - b;
  }
  if (type === 'number') {
    const a = Number(left);
    const b = Number(right);
    return Number.isFinite(a) && Number.isFinite(b) ? a - b : undefined;
  }
  const a = left.toLowerCase();
  const b = right.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

function matchesFilter(type: PropertyType, actual: string | undefined, filter: SearchFilter): boolean {
  const cmp = (other: string | undefined): number | undefined => compareValues(type, actual, other);
  const is = (test: (c: number) => boolean, other = filter.value): boolean => {
    const c = cmp(other);
    return c !== undefined && test(c);
  };
  switch (filter.operator) {
    case 'EQ':
      return is((c) => c === 0);
    case 'NEQ':
      return !is((c) => c === 0);
    case 'LT':
      return is((c) => c < 0);
    case 'LTE':
      return is((c) => c <= 0);
    case 'GT':
      return is((c) => c > 0);
    case 'GTE':
      return is((c) => c >= 0);
    case 'BETWEEN':
      return is((c) => c >= 0) && is((c) => c <= 0, filter.highValue);
    case 'IN':
      return (filter.values ?? []).some((v) => cmp(v) === 0);
    case 'NOT_IN':
      return !(filter.values ?? []).some((v) => cmp(v) === 0);
    case 'HAS_PROPERTY':
      return actual !== undefined;
    case 'NOT_HAS_PROPERTY':
      return actual === undefined;
    case 'CONTAINS_TOKEN':
      return actual !== undefined && tokenMatches(actual, filter.value ?? '');
    case 'NOT_CONTAINS_TOKEN':
      return actual === undefined || !tokenMatches(actual, filter.value ?? '');
  }
}

/** CONTAINS_TOKEN: a word of the value, with `*` as a wildcard. */
function tokenMatches(actual: string, token: string): boolean {
  const pattern = new RegExp(`^${token.toLowerCase().split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return actual.toLowerCase().split(/[\s@.,;]+/).some((word) => pattern.test(word)) || pattern.test(actual.toLowerCase());
}

type Row = { record: StoredRecord; values: Record<string, string> };

/** By the sort property (missing values last), then by id, so paging is stable. */
function compareForSort(a: Row, b: Row, sort: SearchSort | undefined, catalog: ObjectCatalog, spec: ObjectSpec): number {
  if (sort) {
    const left = a.values[sort.propertyName];
    const right = b.values[sort.propertyName];
    if (left === undefined && right !== undefined) return 1;
    if (right === undefined && left !== undefined) return -1;
    const c = compareValues(propertyType(catalog, spec, sort.propertyName), left, right) ?? 0;
    if (c !== 0) return sort.descending ? -c : c;
  }
  return Number(a.record.id) - Number(b.record.id);
}

function bad(ctx: HandlerContext, message: string): ReplyError {
  return new ReplyError(validationError(ctx.correlationId, message));
}

import { GraphQLError } from 'graphql';
import type { StoredRecord } from '../kit';
import { numericId } from './search';

/** Arguments every Shopify connection takes (Relay: first/after, last/before; sortKey, reverse). */
export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  sortKey?: string | null;
  reverse?: boolean | null;
}

/** "The first or last n elements" of a connection is at most 250 (shopify.dev/docs/api/usage/pagination-graphql). */
export const MAX_PAGE_SIZE = 250;

type SortValue = string | number;

/** How a sort key orders records: by its value, then by the numeric id. */
export type SortKeys = Record<string, (record: StoredRecord) => SortValue>;

interface Position { last_id: number; last_value: SortValue }

/**
 * One page of a connection over `records`, sorted by `args.sortKey` (default ID) then id, with
 * Shopify-style opaque cursors (base64 JSON of the last id and sort value: a cursor survives the
 * deletion of its record).
 */
export function connection<T>(records: StoredRecord[], args: ConnectionArgs, sortKeys: SortKeys, toNode: (record: StoredRecord) => T) {
  if ((args.first ?? null) === null && (args.last ?? null) === null) {
    throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
  }
  const size = (args.first ?? args.last)!;
  if (size > MAX_PAGE_SIZE || size < 0) throw new GraphQLError(`The first or last argument must be between 0 and ${MAX_PAGE_SIZE}.`, { extensions: { code: 'BAD_REQUEST' } });
  const keyOf = sortKeys[args.sortKey ?? 'ID'] ?? sortKeys.ID;
  const position = (r: StoredRecord): Position => ({ last_id: numericId(r.id), last_value: keyOf(r) });
  const direction = args.reverse ? -1 : 1;
  const order = (a: Position, b: Position) => direction * (compareValues(a.last_value, b.last_value) || a.last_id - b.last_id);
  let sorted = [...records].sort((a, b) => order(position(a), position(b)));
  const after = decodeCursor(args.after);
  const before = decodeCursor(args.before);
  if (after) sorted = sorted.filter((r) => order(position(r), after) > 0);
  if (before) sorted = sorted.filter((r) => order(position(r), before) < 0);
  const fromEnd = args.first === undefined || args.first === null;
  const page = fromEnd ? sorted.slice(Math.max(0, sorted.length - size)) : sorted.slice(0, size);
  const edges = page.map((r) => ({ cursor: encodeCursor(position(r)), node: toNode(r) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: fromEnd ? false : sorted.length > page.length,
      hasPreviousPage: fromEnd ? sorted.length > page.length : after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64');
}

function decodeCursor(cursor: string | null | undefined): Position | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as Partial<Position>;
    if (typeof parsed.last_id === 'number' && (typeof parsed.last_value === 'string' || typeof parsed.last_value === 'number')) return parsed as Position;
  } catch {
    // fall through
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: 'BAD_REQUEST' } });
}

/** Sort keys every object has. */
export const commonSortKeys: SortKeys = {
  ID: () => 0,
  CREATED_AT: (r) => Date.parse(r.createdAt),
  UPDATED_AT: (r) => Date.parse(r.updatedAt),
  RELEVANCE: () => 0,
};

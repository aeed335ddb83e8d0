import { ReplyError } from '../kit';
import { filterProperties, FilterError, matchesFilter as matchesKitFilter, orderHolds, parseFilterTree, type FilterDialect, type FilterTree } from '../kit/odata-filter';
import { odataError } from './errors';

/**
 * The OData v4 URL conventions the sandbox reads (OData Version 4.0 Part 2: URL Conventions;
 * Dataverse: Query data using the Web API, Retrieve a table row using the Web API):
 * - a resource segment: `accounts`, `accounts(<guid>)`, `accounts(accountnumber='A-1')`;
 * - $filter in the kit's grammar (sandboxes/kit/odata-filter.ts: eq, ne, gt, ge, lt, le, and, or,
 *   not, parentheses) with Dataverse's literals: 'text' ('' escapes a quote), numbers, GUIDs, null,
 *   true, false;
 * - $select, $top.
 * Anything else is a 400, so a client cannot rely on what the sandbox does not understand.
 */
export type KeyValue = string | number;

export interface Resource {
  entitySet: string;
  /** Absent for the collection; a GUID, or alternate-key column/value pairs. */
  key?: { id: string } | { alternate: Record<string, KeyValue> };
}

function syntaxError(message: string): never {
  throw new ReplyError(odataError(400, '0x80060888', message));
}

/** Splits on commas that are outside single-quoted literals. */
function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) { parts.push(current); current = ''; } else current += ch;
  }
  parts.push(current);
  return parts;
}

function literal(text: string): KeyValue | null | boolean {
  const t = text.trim();
  if (/^'(?:[^']|'')*'$/.test(t)) return t.slice(1, -1).replace(/''/g, "'");
  return bareLiteral(t);
}

function bareLiteral(t: string): KeyValue | null | boolean {
  if (/^-?\d+(?:\.\d+)?$/.test(t)) return Number(t);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t)) return t.toLowerCase();
  if (t === 'null') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  return syntaxError(`Syntax error: '${t}' is not a valid literal.`);
}

export function parseResource(segment: string): Resource {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?$/.exec(segment);
  if (!match) syntaxError(`Resource not found for the segment '${segment}'.`);
  const [, entitySet, keyText] = match;
  if (keyText === undefined) return { entitySet };
  const parts = splitOutsideQuotes(keyText);
  if (parts.length === 1 && !parts[0].includes('=')) {
    const id = literal(parts[0]);
    if (typeof id !== 'string') syntaxError(`The key value '${parts[0]}' is not a valid GUID.`);
    return { entitySet, key: { id } };
  }
  const alternate: Record<string, KeyValue> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) syntaxError(`Bad Request - Error in query syntax: '${keyText}'.`);
    const value = literal(part.slice(eq + 1));
    if (value === null || typeof value === 'boolean') syntaxError(`Bad Request - Error in query syntax: '${keyText}'.`);
    alternate[part.slice(0, eq).trim()] = value;
  }
  return { entitySet, key: { alternate } };
}

export type FilterValue = KeyValue | null | boolean;
export type Filter = FilterTree<FilterValue>;

/**
 * Dataverse's reading of the kit's $filter grammar: GUID literals, no datetime'…' (OData v4 writes
 * dates bare, which the sandbox does not serve), text compared case-insensitively (its SQL
 * collation), a null literal only with eq/ne, and a missing value matching nothing but ne.
 */
const dataverse: FilterDialect<FilterValue> = {
  literal(token) {
    if (token.kind === 'string') return token.text;
    if (token.kind === 'datetime') return syntaxError(`Syntax error: 'datetime'${token.text}'' is not a valid literal.`);
    return bareLiteral(token.text);
  },
  holds(op, raw, literal) {
    const value = raw ?? null;
    if (literal === null) return op === 'eq' ? value === null : op === 'ne' ? value !== null : false;
    return orderHolds(op, compare(value, literal));
  },
};

export function parseFilter(text: string): Filter {
  try {
    return parseFilterTree(text, dataverse);
  } catch (error) {
    if (error instanceof FilterError) syntaxError(`Syntax error: ${error.message} in '${text}'.`);
    throw error;
  }
}

export { filterProperties };

function compare(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function matchesFilter(filter: Filter, row: Record<string, unknown>): boolean {
  return matchesKitFilter(filter, row, dataverse);
}

import { ReplyError } from '../kit';
import { odataError } from './errors';

/**
 * The OData v4 URL conventions the sandbox reads (OData Version 4.0 Part 2: URL Conventions;
 * Dataverse: Query data using the Web API, Retrieve a table row using the Web API):
 * - a resource segment: `accounts`, `accounts(<guid>)`, `accounts(accountnumber='A-1')`;
 * - $filter with eq, ne, gt, ge, lt, le, and, or, not, parentheses; literals 'text' ('' escapes a
 *   quote), numbers, GUIDs, null, true, false;
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

export type Filter =
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  | { kind: 'compare'; op: string; property: string; value: KeyValue | null | boolean };

const OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function parseFilter(text: string): Filter {
  const tokens = text.match(/'(?:[^']|'')*'|\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = () => { const t = tokens[at++]; if (t === undefined) syntaxError(`Syntax error at the end of '${text}'.`); return t; };
  const or = (): Filter => {
    let left = and();
    while (peek() === 'or') { at++; left = { kind: 'or', left, right: and() }; }
    return left;
  };
  const and = (): Filter => {
    let left = unary();
    while (peek() === 'and') { at++; left = { kind: 'and', left, right: unary() }; }
    return left;
  };
  const unary = (): Filter => {
    if (peek() === 'not') { at++; return { kind: 'not', filter: unary() }; }
    if (peek() === '(') {
      at++;
      const inner = or();
      if (take() !== ')') syntaxError(`Syntax error: ')' expected in '${text}'.`);
      return inner;
    }
    const property = take();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(property)) syntaxError(`Syntax error at '${property}' in '${text}'.`);
    const op = take();
    if (!OPS.has(op)) syntaxError(`Syntax error: '${op}' is not a supported operator in '${text}'.`);
    return { kind: 'compare', op, property, value: literal(take()) };
  };
  const filter = or();
  if (at < tokens.length) syntaxError(`Syntax error at position ${at} in '${text}'.`);
  return filter;
}

export function filterProperties(filter: Filter): string[] {
  if (filter.kind === 'compare') return [filter.property];
  if (filter.kind === 'not') return filterProperties(filter.filter);
  return [...filterProperties(filter.left), ...filterProperties(filter.right)];
}

function compare(a: unknown, b: unknown): number | null {
  if (a === null || a === undefined || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Dataverse compares text case-insensitively (its SQL collation). */
export function matchesFilter(filter: Filter, row: Record<string, unknown>): boolean {
  switch (filter.kind) {
    case 'and': return matchesFilter(filter.left, row) && matchesFilter(filter.right, row);
    case 'or': return matchesFilter(filter.left, row) || matchesFilter(filter.right, row);
    case 'not': return !matchesFilter(filter.filter, row);
    case 'compare': {
      const value = row[filter.property] ?? null;
      if (filter.value === null) return filter.op === 'eq' ? value === null : filter.op === 'ne' ? value !== null : false;
      const c = compare(value, filter.value);
      if (c === null) return filter.op === 'ne';
      return { eq: c === 0, ne: c !== 0, gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[filter.op as 'eq'];
    }
  }
}

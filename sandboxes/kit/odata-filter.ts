/**
 * OData `$filter` expressions for sandboxes: one grammar (OData Version 4.0 Part 2: URL
 * Conventions, 5.1.1; the OData v3 `$filter` of the Sage 300 Web API's Developer Reference reads the
 * same): `eq ne gt ge lt le`, `and`, `or`, `not`, parentheses, string literals in single quotes
 * ('' for a quote), bare literals, and `datetime'…'` literals. Functions (substringof, startswith...)
 * are not served. What a literal means and how values compare is the system's: a `FilterDialect`.
 * - `sageDialect` here: Sage 300's `$filter` and Sage X3's api1 `where` (`parseFilter`);
 * - Dataverse's in sandboxes/dynamics/odata.ts (GUIDs, case-insensitive text, null only for eq/ne).
 */
export type Entity = Record<string, unknown>;
export type Predicate = (entity: Entity) => boolean;

export class FilterError extends Error {}

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterTree<L> =
  | { kind: 'and' | 'or'; left: FilterTree<L>; right: FilterTree<L> }
  | { kind: 'not'; filter: FilterTree<L> }
  | { kind: 'compare'; op: ComparisonOperator; property: string; value: L };

/** A literal as written: a quoted string (unquoted, '' read as '), a datetime'…' body, or a bare word. */
export interface LiteralToken {
  kind: 'string' | 'datetime' | 'word';
  text: string;
}

export interface FilterDialect<L> {
  /** The value of a literal; throws (FilterError or the system's own reply) for one it does not read. */
  literal(token: LiteralToken): L;
  /** Whether a record's value stands in `op` to the literal. */
  holds(op: ComparisonOperator, value: unknown, literal: L): boolean;
}

type Token = { kind: 'name'; text: string } | { kind: 'paren'; text: string } | LiteralToken;

const OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const isOperator = (text: string): text is ComparisonOperator => OPERATORS.has(text);

/** The expression tree of a `$filter`; an empty one is an error (callers decide what no filter means). */
export function parseFilterTree<L>(filter: string, dialect: FilterDialect<L>): FilterTree<L> {
  const tokens = tokenize(filter);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const t = tokens[at++];
    if (!t) throw new FilterError('the $filter ends too early');
    return t;
  };
  const word = (w: string) => {
    if (peek()?.kind === 'name' && peek()!.text === w) { at++; return true; }
    return false;
  };
  const or = (): FilterTree<L> => {
    let left = and();
    while (word('or')) left = { kind: 'or', left, right: and() };
    return left;
  };
  const and = (): FilterTree<L> => {
    let left = unary();
    while (word('and')) left = { kind: 'and', left, right: unary() };
    return left;
  };
  const unary = (): FilterTree<L> => {
    if (word('not')) return { kind: 'not', filter: unary() };
    if (peek()?.kind === 'paren' && peek()!.text === '(') {
      next();
      const inner = or();
      if (next().text !== ')') throw new FilterError('a parenthesis is not closed');
      return inner;
    }
    const property = next();
    if (property.kind !== 'name') throw new FilterError(`expected a property, found ${property.text}`);
    const op = next();
    if (!isOperator(op.text)) throw new FilterError(`unsupported operator ${op.text}`);
    const operand = next();
    if (operand.kind === 'paren') throw new FilterError(`expected a value, found ${operand.text}`);
    const literal = dialect.literal(operand.kind === 'name' ? { kind: 'word', text: operand.text } : operand);
    return { kind: 'compare', op: op.text, property: property.text, value: literal };
  };
  const tree = or();
  if (at < tokens.length) throw new FilterError(`unexpected ${tokens[at].text}`);
  return tree;
}

export function matchesFilter<L>(tree: FilterTree<L>, entity: Entity, dialect: FilterDialect<L>): boolean {
  switch (tree.kind) {
    case 'and': return matchesFilter(tree.left, entity, dialect) && matchesFilter(tree.right, entity, dialect);
    case 'or': return matchesFilter(tree.left, entity, dialect) || matchesFilter(tree.right, entity, dialect);
    case 'not': return !matchesFilter(tree.filter, entity, dialect);
    case 'compare': return dialect.holds(tree.op, entity[tree.property], tree.value);
  }
}

/** The properties a filter names, in order (a sandbox refuses unknown ones in its own words). */
export function filterProperties(tree: FilterTree<unknown>): string[] {
  if (tree.kind === 'compare') return [tree.property];
  if (tree.kind === 'not') return filterProperties(tree.filter);
  return [...filterProperties(tree.left), ...filterProperties(tree.right)];
}

/** Whether an ordering (value minus literal) satisfies `op`; an incomparable pair (null, NaN) is only `ne`. */
export function orderHolds(op: ComparisonOperator, order: number | null): boolean {
  if (order === null || Number.isNaN(order)) return op === 'ne';
  return { eq: order === 0, ne: order !== 0, gt: order > 0, ge: order >= 0, lt: order < 0, le: order <= 0 }[op];
}

/** Whitespace between tokens (OData's BWS is spaces and tabs; Dataverse takes any). */
const isSpace = (c: string) => /\s/.test(c);

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i];
    if (isSpace(c)) { i++; continue; }
    if (c === '(' || c === ')') { tokens.push({ kind: 'paren', text: c }); i++; continue; }
    if (filter.startsWith("datetime'", i)) {
      const end = filter.indexOf("'", i + 9);
      if (end < 0) throw new FilterError('a datetime literal is not closed');
      tokens.push({ kind: 'datetime', text: filter.slice(i + 9, end) });
      i = end + 1;
      continue;
    }
    if (c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= filter.length) throw new FilterError('a string literal is not closed');
        if (filter[i] === "'" && filter[i + 1] === "'") { text += "'"; i += 2; continue; }
        if (filter[i] === "'") { i++; break; }
        text += filter[i++];
      }
      tokens.push({ kind: 'string', text });
      continue;
    }
    let text = '';
    while (i < filter.length && !isSpace(filter[i]) && !"()'".includes(filter[i])) text += filter[i++];
    tokens.push({ kind: /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) && !['true', 'false', 'null'].includes(text) ? 'name' : 'word', text });
  }
  return tokens;
}

/**
 * Sage 300's `$filter` (Developer Reference, "$filter") and Sage X3's api1 `where`: decimals with or
 * without the `m` suffix (99.99m), true/false/null, datetime'2015-12-31T12:00' compared as instants
 * (UTC); text compares case-sensitively.
 */
export const sageDialect: FilterDialect<unknown> = {
  literal(token) {
    if (token.kind === 'string') return token.text;
    if (token.kind === 'datetime') {
      const ms = utc(token.text);
      if (Number.isNaN(ms)) throw new FilterError(`unreadable datetime ${token.text}`);
      return new Date(ms);
    }
    if (token.text === 'true') return true;
    if (token.text === 'false') return false;
    if (token.text === 'null') return null;
    if (/^-?\d+(\.\d+)?m?$/.test(token.text)) return Number(token.text.replace(/m$/, ''));
    throw new FilterError(`unreadable literal ${token.text}`);
  },
  holds: (op, value, literal) => orderHolds(op, sageOrder(value, literal)),
};

function sageOrder(value: unknown, literal: unknown): number {
  if (literal instanceof Date) {
    const ms = utc(String(value));
    return Number.isNaN(ms) ? -1 : ms - literal.getTime();
  }
  if (literal === null) return value === null || value === undefined ? 0 : 1;
  if (typeof literal === 'number') return Number(value) - literal;
  if (typeof literal === 'boolean') return value === literal ? 0 : 1;
  const s = String(value ?? '');
  return s < String(literal) ? -1 : s > String(literal) ? 1 : 0;
}

/** A Sage `$filter`/`where` as a predicate; none (or a blank one) keeps every entity. */
export function parseFilter(filter: string | null): Predicate {
  if (!filter || filter.trim() === '') return () => true;
  const tree = parseFilterTree(filter, sageDialect);
  return (entity) => matchesFilter(tree, entity, sageDialect);
}

/** A date-time without a zone is read as UTC ("2010-08-18T00:00:00", as the Web API writes them). */
export function utc(text: string): number {
  return Date.parse(/[zZ]$|[+-]\d\d:\d\d$/.test(text) ? text : `${text.length === 16 ? `${text}:00` : text}Z`);
}

/**
 * OData-style filters for sandboxes (Sage 300's `$filter`, Sage X3's api1 `where`): the `$filter` the Sage 300 Web API documents (Developer Reference, "$filter"): `eq ne gt ge lt le`,
 * `and`, `or`, `not`, parentheses; string literals in single quotes ('' for a quote), decimals with
 * or without the `m` suffix (99.99m), true/false/null, and `datetime'2015-12-31T12:00'` literals,
 * compared as instants (UTC). Functions (substringof, startswith...) are not served.
 */
export type Entity = Record<string, unknown>;
export type Predicate = (entity: Entity) => boolean;

export class FilterError extends Error {}

type Token = { kind: 'name' | 'string' | 'value' | 'paren'; text: string };

export function parseFilter(filter: string | null): Predicate {
  if (!filter || filter.trim() === '') return () => true;
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
  const or = (): Predicate => {
    const parts = [and()];
    while (word('or')) parts.push(and());
    return parts.length === 1 ? parts[0] : (e) => parts.some((p) => p(e));
  };
  const and = (): Predicate => {
    const parts = [unary()];
    while (word('and')) parts.push(unary());
    return parts.length === 1 ? parts[0] : (e) => parts.every((p) => p(e));
  };
  const unary = (): Predicate => {
    if (word('not')) { const inner = unary(); return (e) => !inner(e); }
    if (peek()?.kind === 'paren' && peek()!.text === '(') {
      next();
      const inner = or();
      if (next().text !== ')') throw new FilterError('a parenthesis is not closed');
      return inner;
    }
    const property = next();
    if (property.kind !== 'name') throw new FilterError(`expected a property, found ${property.text}`);
    const op = next();
    const test = OPERATORS[op.text];
    if (!test) throw new FilterError(`unsupported operator ${op.text}`);
    const operand = next();
    if (operand.kind !== 'string' && operand.kind !== 'value' && operand.kind !== 'name') throw new FilterError(`expected a value, found ${operand.text}`);
    const literal = operand.kind === 'string' ? operand.text : valueOf(operand.text);
    return (e) => test(compare(e[property.text], literal));
  };
  const predicate = or();
  if (at < tokens.length) throw new FilterError(`unexpected ${tokens[at].text}`);
  return predicate;
}

const OPERATORS: Record<string, (order: number) => boolean> = {
  eq: (o) => o === 0, ne: (o) => o !== 0, gt: (o) => o > 0, ge: (o) => o >= 0, lt: (o) => o < 0, le: (o) => o <= 0,
};

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i];
    if (c === ' ') { i++; continue; }
    if (c === '(' || c === ')') { tokens.push({ kind: 'paren', text: c }); i++; continue; }
    if (filter.startsWith("datetime'", i)) {
      const end = filter.indexOf("'", i + 9);
      if (end < 0) throw new FilterError('a datetime literal is not closed');
      tokens.push({ kind: 'value', text: `datetime:${filter.slice(i + 9, end)}` });
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
    while (i < filter.length && !" ()'".includes(filter[i])) text += filter[i++];
    tokens.push({ kind: /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) && !['true', 'false', 'null'].includes(text) ? 'name' : 'value', text });
  }
  return tokens;
}

function valueOf(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?\d+(\.\d+)?m?$/.test(text)) return Number(text.replace(/m$/, ''));
  if (text.startsWith('datetime:')) {
    const ms = utc(text.slice(9));
    if (Number.isNaN(ms)) throw new FilterError(`unreadable datetime ${text.slice(9)}`);
    return new Date(ms);
  }
  throw new FilterError(`unreadable literal ${text}`);
}

function compare(value: unknown, literal: unknown): number {
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

/** A date-time without a zone is read as UTC ("2010-08-18T00:00:00", as the Web API writes them). */
export function utc(text: string): number {
  return Date.parse(/[zZ]$|[+-]\d\d:\d\d$/.test(text) ? text : `${text.length === 16 ? `${text}:00` : text}Z`);
}

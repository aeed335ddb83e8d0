/**
 * The readByQuery query language (https://developer.intacct.com/web-services/queries/): SQL-like
 * conditions `FIELD op value` with <, >, >=, <=, =, !=, like, not like, in, not in, IS NULL,
 * IS NOT NULL, joined by AND / OR, NOT and parentheses. String operands are single-quoted with
 * backslash escapes and compared case-sensitively; date-times ('MM/DD/YYYY HH:MM:SS') and numbers
 * compare as such. An empty query matches every record.
 */
export type Row = Record<string, string>;
export type Condition = (row: Row) => boolean;

type Token = { kind: 'word' | 'string' | 'op' | 'paren' | 'comma'; value: string };

export class QueryError extends Error {}

export function parseQuery(query: string): Condition {
  const tokens = tokenize(query);
  if (tokens.length === 0) return () => true;
  const reader = new Reader(tokens);
  const condition = orExpression(reader);
  if (!reader.done()) throw new QueryError(`unexpected "${reader.peek()?.value}" in the query`);
  return condition;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let value = '';
      i++;
      while (i < query.length && query[i] !== "'") {
        if (query[i] === '\\' && i + 1 < query.length) i++;
        value += query[i++];
      }
      if (query[i] !== "'") throw new QueryError('a quoted value is not closed');
      i++;
      tokens.push({ kind: 'string', value });
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: 'paren', value: c }); i++;
    } else if (c === ',') {
      tokens.push({ kind: 'comma', value: c }); i++;
    } else if ('<>=!'.includes(c)) {
      const two = query.slice(i, i + 2);
      const op = ['<=', '>=', '!=', '<>'].includes(two) ? two : c;
      tokens.push({ kind: 'op', value: op }); i += op.length;
    } else {
      let word = '';
      while (i < query.length && /[A-Za-z0-9_.\-:]/.test(query[i])) word += query[i++];
      if (word === '') throw new QueryError(`unexpected "${c}" in the query`);
      tokens.push({ kind: 'word', value: word });
    }
  }
  return tokens;
}

class Reader {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(): Token | undefined { return this.tokens[this.at]; }
  next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw new QueryError('the query ends too early');
    return token;
  }
  keyword(word: string): boolean {
    const token = this.peek();
    if (token?.kind === 'word' && token.value.toUpperCase() === word) { this.at++; return true; }
    return false;
  }
  done(): boolean { return this.at >= this.tokens.length; }
}

function orExpression(r: Reader): Condition {
  const parts = [andExpression(r)];
  while (r.keyword('OR')) parts.push(andExpression(r));
  return parts.length === 1 ? parts[0] : (row) => parts.some((p) => p(row));
}

function andExpression(r: Reader): Condition {
  const parts = [unary(r)];
  while (r.keyword('AND')) parts.push(unary(r));
  return parts.length === 1 ? parts[0] : (row) => parts.every((p) => p(row));
}

function unary(r: Reader): Condition {
  if (r.keyword('NOT')) {
    const inner = unary(r);
    return (row) => !inner(row);
  }
  if (r.peek()?.kind === 'paren' && r.peek()?.value === '(') {
    r.next();
    const inner = orExpression(r);
    if (r.next().value !== ')') throw new QueryError('a parenthesis is not closed');
    return inner;
  }
  return comparison(r);
}

function comparison(r: Reader): Condition {
  const field = r.next();
  if (field.kind !== 'word') throw new QueryError(`expected a field name, found "${field.value}"`);
  const name = field.value.toUpperCase();
  if (r.keyword('IS')) {
    const negated = r.keyword('NOT');
    if (!r.keyword('NULL')) throw new QueryError('IS must be followed by NULL or NOT NULL');
    return (row) => ((row[name] ?? '') === '') !== negated;
  }
  const negated = r.keyword('NOT');
  if (r.keyword('IN')) {
    const values = list(r);
    return (row) => values.some((v) => compare(row[name] ?? '', v) === 0) !== negated;
  }
  if (r.keyword('LIKE')) {
    const pattern = likePattern(operand(r));
    return (row) => pattern.test(row[name] ?? '') !== negated;
  }
  if (negated) throw new QueryError('NOT must be followed by IN or LIKE here');
  const op = r.next();
  if (op.kind !== 'op') throw new QueryError(`expected an operator after ${name}, found "${op.value}"`);
  const value = operand(r);
  const test = operatorTest(op.value);
  return (row) => test(compare(row[name] ?? '', value));
}

function operand(r: Reader): string {
  const token = r.next();
  if (token.kind !== 'string' && token.kind !== 'word') throw new QueryError(`expected a value, found "${token.value}"`);
  return token.value;
}

function list(r: Reader): string[] {
  if (r.next().value !== '(') throw new QueryError('IN must be followed by a parenthesised list');
  const values = [operand(r)];
  for (let t = r.next(); t.value !== ')'; t = r.next()) {
    if (t.kind !== 'comma') throw new QueryError('values of an IN list are separated by commas');
    values.push(operand(r));
  }
  return values;
}

function operatorTest(op: string): (order: number) => boolean {
  switch (op) {
    case '=': return (o) => o === 0;
    case '!=': case '<>': return (o) => o !== 0;
    case '<': return (o) => o < 0;
    case '>': return (o) => o > 0;
    case '<=': return (o) => o <= 0;
    case '>=': return (o) => o >= 0;
    default: throw new QueryError(`unsupported operator ${op}`);
  }
}

function likePattern(pattern: string): RegExp {
  const escaped = [...pattern].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${escaped}$`);
}

/** Date-times, then numbers, then strings (case-sensitive). */
export function compare(a: string, b: string): number {
  const da = intacctEpoch(a);
  const db = intacctEpoch(b);
  if (da !== undefined && db !== undefined) return da - db;
  if (a !== '' && b !== '' && Number.isFinite(Number(a)) && Number.isFinite(Number(b))) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Epoch ms of 'MM/DD/YYYY' or 'MM/DD/YYYY HH:MM:SS' (UTC), else undefined. */
export function intacctEpoch(value: string): number | undefined {
  const [date, time = '00:00:00'] = value.trim().split(' ');
  const parts = date.split('/');
  if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
  const ms = Date.parse(`${parts[2]}-${parts[0].padStart(2, '0')}-${parts[1].padStart(2, '0')}T${time}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** 'MM/DD/YYYY HH:MM:SS' (UTC) of an ISO 8601 time, as Intacct shows date-times. */
export function intacctTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

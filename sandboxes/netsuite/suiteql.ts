import { fail } from './errors';
import { formatDate, parseDate } from './time';

/**
 * The part of SuiteQL (SQL-92 with Oracle functions) the sandbox runs:
 *   SELECT <* | expr [AS alias], ...> FROM <table> [WHERE <condition>] [ORDER BY <column> [ASC|DESC], ...]
 * conditions: AND / OR / NOT / parentheses, comparisons (= <> != < <= > >=), [NOT] IN (...),
 * IS [NOT] NULL; expressions: columns, 'strings', numbers, TO_CHAR(column, 'format'),
 * TO_DATE('text', 'format') (formats: YYYY MM DD HH24 MI SS and "literals"), UPPER, LOWER.
 * Anything else is refused with NetSuite's 400 INVALID_PARAMETER "Invalid search query", so a
 * connector cannot come to rely on SQL the sandbox only pretends to understand.
 */

type Token = { kind: 'word' | 'string' | 'number' | 'symbol'; text: string };

export type Value = { kind: 'column'; name: string } | { kind: 'literal'; value: string | number }
  | { kind: 'call'; fn: string; args: Value[] };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'compare'; op: string; left: Value; right: Value }
  | { kind: 'in'; left: Value; values: Value[]; negated: boolean }
  | { kind: 'null'; value: Value; negated: boolean };

export interface Query {
  select: Array<{ value: Value; alias: string }> | '*';
  from: string;
  where?: Condition;
  orderBy: Array<{ column: string; descending: boolean }>;
}

export function invalidQuery(reason: string): never {
  fail(400, {
    detail: `Invalid search query. Detailed unprocessed description follows. Search error occurred: ${reason}`,
    code: 'INVALID_PARAMETER',
    path: 'q',
  });
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:('(?:[^']|'')*')|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_.]*)|(<>|!=|<=|>=|[=<>(),*]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) invalidQuery(`unexpected character at position ${at + 1}`);
    at = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: match[1].slice(1, -1).replace(/''/g, "'") });
    else if (match[2] !== undefined) tokens.push({ kind: 'number', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'word', text: match[3] });
    else tokens.push({ kind: 'symbol', text: match[4] });
  }
  return tokens;
}

const FUNCTIONS = new Set(['TO_CHAR', 'TO_DATE', 'UPPER', 'LOWER']);
const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'ORDER', 'BY', 'ASC', 'DESC', 'AS', 'IS', 'NULL']);

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined { return this.tokens[this.at]; }
  private isWord(word: string): boolean { const t = this.peek(); return t?.kind === 'word' && t.text.toUpperCase() === word; }
  private isSymbol(symbol: string): boolean { const t = this.peek(); return t?.kind === 'symbol' && t.text === symbol; }
  private take(): Token {
    const t = this.tokens[this.at++];
    if (!t) invalidQuery('unexpected end of query');
    return t;
  }
  private expectWord(word: string): void { if (!this.isWord(word)) invalidQuery(`expected ${word} near "${this.peek()?.text ?? 'end'}"`); this.at++; }
  private expectSymbol(symbol: string): void { if (!this.isSymbol(symbol)) invalidQuery(`expected "${symbol}" near "${this.peek()?.text ?? 'end'}"`); this.at++; }

  query(): Query {
    this.expectWord('SELECT');
    let select: Query['select'];
    if (this.isSymbol('*')) { this.at++; select = '*'; } else select = this.list(() => this.selectItem());
    this.expectWord('FROM');
    const table = this.take();
    if (table.kind !== 'word' || KEYWORDS.has(table.text.toUpperCase())) invalidQuery('a table name must follow FROM');
    let where: Condition | undefined;
    if (this.isWord('WHERE')) { this.at++; where = this.or(); }
    const orderBy: Query['orderBy'] = [];
    if (this.isWord('ORDER')) {
      this.at++;
      this.expectWord('BY');
      orderBy.push(...this.list(() => {
        const column = this.take();
        if (column.kind !== 'word') invalidQuery('ORDER BY takes column names');
        const descending = this.isWord('DESC');
        if (descending || this.isWord('ASC')) this.at++;
        return { column: column.text.toLowerCase(), descending };
      }));
    }
    if (this.peek()) invalidQuery(`unsupported syntax near "${this.peek()!.text}"`);
    return { select, from: table.text.toLowerCase(), where, orderBy };
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.isSymbol(',')) { this.at++; items.push(item()); }
    return items;
  }

  private selectItem(): { value: Value; alias: string } {
    const value = this.value();
    if (this.isWord('AS')) {
      this.at++;
      const alias = this.take();
      if (alias.kind !== 'word') invalidQuery('AS takes a name');
      return { value, alias: alias.text.toLowerCase() };
    }
    if (value.kind !== 'column') invalidQuery('an expression in SELECT needs AS <alias>');
    return { value, alias: value.name };
  }

  private or(): Condition {
    let left = this.and();
    while (this.isWord('OR')) { this.at++; left = { kind: 'or', left, right: this.and() }; }
    return left;
  }

  private and(): Condition {
    let left = this.unary();
    while (this.isWord('AND')) { this.at++; left = { kind: 'and', left, right: this.unary() }; }
    return left;
  }

  private unary(): Condition {
    if (this.isWord('NOT')) { this.at++; return { kind: 'not', condition: this.unary() }; }
    if (this.isSymbol('(')) {
      this.at++;
      const inner = this.or();
      this.expectSymbol(')');
      return inner;
    }
    return this.predicate();
  }

  private predicate(): Condition {
    const left = this.value();
    if (this.isWord('IS')) {
      this.at++;
      const negated = this.isWord('NOT');
      if (negated) this.at++;
      this.expectWord('NULL');
      return { kind: 'null', value: left, negated };
    }
    const negated = this.isWord('NOT');
    if (negated) this.at++;
    if (this.isWord('IN')) {
      this.at++;
      this.expectSymbol('(');
      const values = this.list(() => this.value());
      this.expectSymbol(')');
      return { kind: 'in', left, values, negated };
    }
    if (negated) invalidQuery('NOT must be followed by IN here');
    const op = this.take();
    if (op.kind !== 'symbol' || !['=', '<>', '!=', '<', '<=', '>', '>='].includes(op.text)) invalidQuery(`expected a comparison near "${op.text}"`);
    return { kind: 'compare', op: op.text === '!=' ? '<>' : op.text, left, right: this.value() };
  }

  private value(): Value {
    const t = this.take();
    if (t.kind === 'string') return { kind: 'literal', value: t.text };
    if (t.kind === 'number') return { kind: 'literal', value: Number(t.text) };
    if (t.kind !== 'word' || KEYWORDS.has(t.text.toUpperCase())) invalidQuery(`unexpected "${t.text}"`);
    if (this.isSymbol('(')) {
      const fn = t.text.toUpperCase();
      if (!FUNCTIONS.has(fn)) invalidQuery(`unsupported function ${t.text}`);
      this.at++;
      const args = this.list(() => this.value());
      this.expectSymbol(')');
      return { kind: 'call', fn, args };
    }
    return { kind: 'column', name: t.text.toLowerCase() };
  }
}

export function parseSuiteql(text: string): Query {
  if (typeof text !== 'string' || text.trim() === '') invalidQuery('the query is empty');
  return new Parser(tokenize(text)).query();
}

/** What the evaluator needs of a table: typed column values, and the time zone of each date column. */
export interface TableView {
  columns: Set<string>;
  /** The time zone a date column is rendered in, undefined for other columns. */
  dateZone(column: string): string | undefined;
  /** The user's time zone: TO_DATE reads its text in it. */
  accountZone: string;
}

type Cell = string | number | null;

/** A date value: TO_DATE results and date columns compare as epoch ms. */
function evaluate(value: Value, row: Record<string, unknown>, table: TableView): Cell {
  if (value.kind === 'literal') return value.value;
  if (value.kind === 'column') {
    if (!table.columns.has(value.name)) invalidQuery(`Field '${value.name}' was not found. Reason: NOT_EXPOSED - Not available for channel SEARCH`);
    const cell = row[value.name];
    return cell === undefined ? null : (cell as Cell);
  }
  const args = value.args.map((a) => evaluate(a, row, table));
  switch (value.fn) {
    case 'UPPER': return args[0] === null ? null : String(args[0]).toUpperCase();
    case 'LOWER': return args[0] === null ? null : String(args[0]).toLowerCase();
    case 'TO_CHAR': {
      const source = value.args[0];
      const zone = source?.kind === 'column' ? table.dateZone(source.name) : undefined;
      if (!zone || typeof args[1] !== 'string') invalidQuery('TO_CHAR takes a date column and a format');
      return args[0] === null ? null : formatDate(args[0] as number, args[1], zone);
    }
    default: {
      if (typeof args[0] !== 'string' || typeof args[1] !== 'string') invalidQuery('TO_DATE takes a text and a format');
      const parsed = parseDate(args[0], args[1], table.accountZone);
      if (parsed === undefined) invalidQuery(`TO_DATE could not read '${args[0]}' with format '${args[1]}'`);
      return parsed;
    }
  }
}

function compareCells(a: Cell, b: Cell): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x) || Number.isNaN(y)) invalidQuery(`cannot compare '${a}' with '${b}'`);
    return x - y;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function matches(condition: Condition, row: Record<string, unknown>, table: TableView): boolean {
  switch (condition.kind) {
    case 'and': return matches(condition.left, row, table) && matches(condition.right, row, table);
    case 'or': return matches(condition.left, row, table) || matches(condition.right, row, table);
    case 'not': return !matches(condition.condition, row, table);
    case 'null': return (evaluate(condition.value, row, table) === null) !== condition.negated;
    case 'in': {
      const left = evaluate(condition.left, row, table);
      const found = condition.values.some((v) => compareCells(left, evaluate(v, row, table)) === 0);
      return left !== null && found !== condition.negated;
    }
    case 'compare': {
      const c = compareCells(evaluate(condition.left, row, table), evaluate(condition.right, row, table));
      if (c === null) return false;
      return { '=': c === 0, '<>': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[condition.op] ?? false;
    }
  }
}

/** Oracle's default order: nulls after every value in ascending order. */
function orderCells(a: Cell, b: Cell): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareCells(a, b) ?? 0;
}

function columnsIn(node: Value | Condition): string[] {
  switch (node.kind) {
    case 'column': return [node.name];
    case 'literal': return [];
    case 'call': return node.args.flatMap(columnsIn);
    case 'and': case 'or': return [...columnsIn(node.left), ...columnsIn(node.right)];
    case 'not': return columnsIn(node.condition);
    case 'compare': return [...columnsIn(node.left), ...columnsIn(node.right)];
    case 'in': return [...columnsIn(node.left), ...node.values.flatMap(columnsIn)];
    case 'null': return columnsIn(node.value);
  }
}

/** Every column the query names must exist, whether or not a row is ever looked at. */
function checkColumns(query: Query, table: TableView): void {
  const named = [
    ...(query.select === '*' ? [] : query.select.flatMap((s) => columnsIn(s.value))),
    ...(query.where ? columnsIn(query.where) : []),
    ...query.orderBy.map((o) => o.column),
  ];
  const unknown = named.find((c) => !table.columns.has(c));
  if (unknown) invalidQuery(`Field '${unknown}' was not found. Reason: NOT_EXPOSED - Not available for channel SEARCH`);
}

/** Runs a parsed query over rows (each with typed values for conditions and shown values for output). */
export function runQuery(query: Query, rows: Array<{ typed: Record<string, unknown>; shown: Record<string, unknown> }>,
  table: TableView): Array<Record<string, unknown>> {
  checkColumns(query, table);
  const kept = rows.filter((r) => !query.where || matches(query.where, r.typed, table));
  kept.sort((a, b) => {
    for (const o of query.orderBy) {
      const c = orderCells((a.typed[o.column] ?? null) as Cell, (b.typed[o.column] ?? null) as Cell);
      if (c !== 0) return o.descending ? -c : c;
    }
    return 0;
  });
  return kept.map((r) => {
    if (query.select === '*') return { ...r.shown };
    const out: Record<string, unknown> = {};
    for (const item of query.select) {
      const cell = item.value.kind === 'column' ? (() => { evaluate(item.value, r.typed, table); return r.shown[item.value.name]; })() : evaluate(item.value, r.typed, table);
      if (cell !== null && cell !== undefined) out[item.alias] = cell;
    }
    return out;
  });
}

/**
 * A small SOQL parser: what a replication client and a lookup by External ID need.
 *   SELECT f1, f2 FROM SObject [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...] [LIMIT n] [OFFSET n]
 *   cond: comparisons (=, !=, <>, <, <=, >, >=, LIKE, IN (...), NOT IN (...)) joined by AND, OR,
 *   NOT and parentheses; literals: 'strings' (\' escapes), numbers, true/false/null, date
 *   (2024-03-01) and date-time (2024-03-01T09:00:00Z, ...00.000+0000) literals, unquoted.
 * Anything else is a MALFORMED_QUERY, as Salesforce answers.
 */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: string };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE'; value: Literal }
  | { kind: 'in'; field: string; negated: boolean; values: Literal[] };

export interface OrderItem {
  field: string;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  fields: string[];
  from: string;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

export class SoqlError extends Error {}

type Token = { type: 'word' | 'string' | 'number' | 'datetime' | 'date' | 'symbol'; text: string };

const TOKEN = /\s*(?:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2}))|(\d{4}-\d{2}-\d{2})(?![\d:T])|('(?:\\.|[^'\\])*')|(-?\d+(?:\.\d+)?)(?![\w-])|([A-Za-z_][\w.]*)|(<=|>=|!=|<>|[=<>(),]))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < text.length) {
    if (/^\s*$/.test(text.slice(position))) break;
    TOKEN.lastIndex = position;
    const m = TOKEN.exec(text);
    if (!m) throw new SoqlError(`unexpected token at position ${position}: ${text.slice(position, position + 20)}`);
    position = TOKEN.lastIndex;
    if (m[1]) tokens.push({ type: 'datetime', text: m[1] });
    else if (m[2]) tokens.push({ type: 'date', text: m[2] });
    else if (m[3]) tokens.push({ type: 'string', text: m[3].slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c) });
    else if (m[4]) tokens.push({ type: 'number', text: m[4] });
    else if (m[5]) tokens.push({ type: 'word', text: m[5] });
    else tokens.push({ type: 'symbol', text: m[6] });
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.tokens[this.at + offset];
    return t?.type === 'word' && t.text.toUpperCase() === word;
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) throw new SoqlError(`expecting ${word}, found ${this.peek()?.text ?? 'end of query'}`);
    this.at++;
  }

  private expectSymbol(symbol: string): void {
    const t = this.peek();
    if (t?.type !== 'symbol' || t.text !== symbol) throw new SoqlError(`expecting '${symbol}', found ${t?.text ?? 'end of query'}`);
    this.at++;
  }

  private identifier(): string {
    const t = this.peek();
    if (t?.type !== 'word') throw new SoqlError(`expecting a field name, found ${t?.text ?? 'end of query'}`);
    this.at++;
    return t.text;
  }

  private integer(): number {
    const t = this.peek();
    if (t?.type !== 'number' || !/^\d+$/.test(t.text)) throw new SoqlError(`expecting a non-negative integer, found ${t?.text ?? 'end of query'}`);
    this.at++;
    return Number(t.text);
  }

  parse(): SoqlQuery {
    this.expectWord('SELECT');
    const fields = [this.identifier()];
    while (this.peek()?.text === ',') {
      this.at++;
      fields.push(this.identifier());
    }
    this.expectWord('FROM');
    const from = this.identifier();
    const query: SoqlQuery = { fields, from, orderBy: [] };
    if (this.isWord('WHERE')) {
      this.at++;
      query.where = this.orExpression();
    }
    if (this.isWord('ORDER')) {
      this.at++;
      this.expectWord('BY');
      do {
        if (query.orderBy.length > 0) this.at++;
        query.orderBy.push(this.orderItem());
      } while (this.peek()?.text === ',');
    }
    if (this.isWord('LIMIT')) {
      this.at++;
      query.limit = this.integer();
    }
    if (this.isWord('OFFSET')) {
      this.at++;
      query.offset = this.integer();
    }
    if (this.peek()) throw new SoqlError(`unexpected token: ${this.peek()!.text}`);
    return query;
  }

  private orderItem(): OrderItem {
    const field = this.identifier();
    let descending = false;
    if (this.isWord('ASC') || this.isWord('DESC')) {
      descending = this.isWord('DESC');
      this.at++;
    }
    let nullsLast = descending;
    if (this.isWord('NULLS')) {
      this.at++;
      if (!this.isWord('FIRST') && !this.isWord('LAST')) throw new SoqlError('expecting FIRST or LAST after NULLS');
      nullsLast = this.isWord('LAST');
      this.at++;
    }
    return { field, descending, nullsLast };
  }

  private orExpression(): Condition {
    let left = this.andExpression();
    while (this.isWord('OR')) {
      this.at++;
      left = { kind: 'or', left, right: this.andExpression() };
    }
    return left;
  }

  private andExpression(): Condition {
    let left = this.unary();
    while (this.isWord('AND')) {
      this.at++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Condition {
    if (this.isWord('NOT')) {
      this.at++;
      return { kind: 'not', inner: this.unary() };
    }
    if (this.peek()?.text === '(') {
      this.at++;
      const inner = this.orExpression();
      this.expectSymbol(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const field = this.identifier();
    if (this.isWord('IN') || (this.isWord('NOT') && this.isWord('IN', 1))) {
      const negated = this.isWord('NOT');
      this.at += negated ? 2 : 1;
      this.expectSymbol('(');
      const values = [this.literal()];
      while (this.peek()?.text === ',') {
        this.at++;
        values.push(this.literal());
      }
      this.expectSymbol(')');
      return { kind: 'in', field, negated, values };
    }
    if (this.isWord('LIKE')) {
      this.at++;
      return { kind: 'compare', field, op: 'LIKE', value: this.literal() };
    }
    const t = this.peek();
    if (t?.type !== 'symbol' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(t.text)) throw new SoqlError(`expecting an operator after ${field}, found ${t?.text ?? 'end of query'}`);
    this.at++;
    const op = (t.text === '<>' ? '!=' : t.text) as '=' | '!=' | '<' | '<=' | '>' | '>=';
    return { kind: 'compare', field, op, value: this.literal() };
  }

  private literal(): Literal {
    const t = this.peek();
    if (!t) throw new SoqlError('expecting a value, found end of query');
    this.at++;
    switch (t.type) {
      case 'string':
        return { kind: 'string', value: t.text };
      case 'number':
        return { kind: 'number', value: Number(t.text) };
      case 'date':
        return { kind: 'date', value: t.text };
      case 'datetime':
        return { kind: 'datetime', value: t.text };
      case 'word': {
        const word = t.text.toLowerCase();
        if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
        if (word === 'null') return { kind: 'null' };
        break;
      }
      default:
        break;
    }
    throw new SoqlError(`unexpected token: ${t.text}`);
  }
}

export function parseSoql(text: string): SoqlQuery {
  return new Parser(tokenize(text)).parse();
}

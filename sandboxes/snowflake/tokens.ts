/**
 * A tokenizer for the Snowflake SQL the sandbox accepts: unquoted words (identifiers and keywords,
 * `$` allowed after the first character as in METADATA$ACTION), double-quoted identifiers,
 * single-quoted strings (Snowflake's backslash escapes included), numbers, `?` binds and operators.
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'bind' | 'op';

export interface Token {
  kind: TokenKind;
  /** As written (words upper-cased: Snowflake resolves unquoted identifiers in upper case). */
  text: string;
  /** The identifier's or string's value (quotes and escapes removed). */
  value: string;
  /** Offset in the statement, for Snowflake's "error line 1 at position N". */
  position: number;
}

export class SqlSyntaxError extends Error {
  constructor(readonly position: number, readonly near: string) {
    super(`syntax error line 1 at position ${position} unexpected '${near}'.`);
  }
}

const OPERATORS = ['=>', '::', '<=', '>=', '<>', '!=', '||', '(', ')', ',', '.', ';', '=', '<', '>', '+', '-', '*', '/'];

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (sql.startsWith('--', i)) { i = endOfLine(sql, i); continue; }
    const start = i;
    if (/[A-Za-z_]/.test(c)) {
      while (i < sql.length && /[A-Za-z0-9_$]/.test(sql[i])) i++;
      const text = sql.slice(start, i).toUpperCase();
      tokens.push({ kind: 'word', text, value: text, position: start });
    } else if (c === '"') {
      const { value, end } = quoted(sql, i, '"', false);
      tokens.push({ kind: 'quoted', text: sql.slice(start, end), value, position: start });
      i = end;
    } else if (c === "'") {
      const { value, end } = quoted(sql, i, "'", true);
      tokens.push({ kind: 'string', text: sql.slice(start, end), value, position: start });
      i = end;
    } else if (/[0-9]/.test(c)) {
      while (i < sql.length && /[0-9.]/.test(sql[i])) i++;
      tokens.push({ kind: 'number', text: sql.slice(start, i), value: sql.slice(start, i), position: start });
    } else if (c === '?') {
      tokens.push({ kind: 'bind', text: '?', value: '?', position: start });
      i++;
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      if (!op) throw new SqlSyntaxError(start, c);
      tokens.push({ kind: 'op', text: op, value: op, position: start });
      i += op.length;
    }
  }
  return tokens;
}

function endOfLine(sql: string, from: number): number {
  const end = sql.indexOf('\n', from);
  return end === -1 ? sql.length : end + 1;
}

/** A quoted run from `from` (the opening quote): doubled quotes, and for strings backslash escapes. */
function quoted(sql: string, from: number, quote: string, backslashEscapes: boolean): { value: string; end: number } {
  let value = '';
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\' && i + 1 < sql.length) {
      const next = sql[i + 1];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
    } else if (c === quote && sql[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (c === quote) {
      return { value, end: i + 1 };
    } else {
      value += c;
      i++;
    }
  }
  throw new SqlSyntaxError(from, sql.slice(from, from + 10));
}

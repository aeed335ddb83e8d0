import { SqlSyntaxError, tokenize, type Token } from './tokens';
import { castType, DATABASE, findTable, SCHEMA, type TableDef } from './tables';

/**
 * Snowflake SQL to Postgres, for the statement forms a client of these tables sends: SELECT (with
 * CHANGES ... AT/END), INSERT ... VALUES, UPDATE ... [FROM], DELETE, MERGE. A token-level rewrite,
 * not a pattern match: unquoted identifiers resolve in upper case (Snowflake's rule) and are quoted
 * for Postgres, `?` binds become `$n` parameters (never text in the statement), Snowflake type
 * names and functions become Postgres ones, `SELECT *` leaves out the sandbox's row-id column, and
 * `T CHANGES(INFORMATION => DEFAULT) AT(...) [END(...)]` reads the change log the triggers keep.
 * Everything else is refused as Snowflake refuses what it cannot compile (SqlCompilationError).
 */
export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'merge';

export interface Translated {
  kind: StatementKind;
  sql: string;
  /** How many `?` binds the statement has (the bindings must number 1..count). */
  bindCount: number;
}

/** A statement Snowflake would refuse at compile time: the code, SQLSTATE and message it answers. */
export class SqlCompilationError extends Error {
  constructor(readonly code: string, readonly sqlState: string, message: string) {
    super(message);
  }
}

const KINDS: Record<string, StatementKind> = { SELECT: 'select', INSERT: 'insert', UPDATE: 'update', DELETE: 'delete', MERGE: 'merge' };

const KEYWORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'AS', 'ON', 'INSERT', 'INTO', 'VALUES', 'UPDATE', 'SET',
  'DELETE', 'MERGE', 'USING', 'WHEN', 'MATCHED', 'THEN', 'UNION', 'ALL', 'ORDER', 'BY', 'ASC', 'DESC', 'LIMIT', 'OFFSET',
  'TRUE', 'FALSE', 'DISTINCT', 'NULLS', 'FIRST', 'LAST', 'BETWEEN', 'LIKE', 'ILIKE', 'EXISTS', 'CASE', 'ELSE', 'END', 'DEFAULT',
]);
const FUNCTIONS = new Set(['COUNT', 'MAX', 'MIN', 'COALESCE', 'LOWER', 'UPPER', 'CAST', 'TRIM', 'LENGTH']);
/** Snowflake type names (after `::` or in CAST(x AS ...)) and the Postgres type each is read into. */
const TYPES: Record<string, string> = {
  TIMESTAMP_LTZ: 'timestamptz', TIMESTAMP_TZ: 'timestamptz', TIMESTAMP_NTZ: 'timestamp', TIMESTAMP: 'timestamp', DATE: 'date',
  NUMBER: 'numeric', NUMERIC: 'numeric', DECIMAL: 'numeric', INT: 'numeric', INTEGER: 'numeric', BIGINT: 'numeric', FLOAT: 'double precision',
  DOUBLE: 'double precision', REAL: 'double precision', VARCHAR: 'text', STRING: 'text', TEXT: 'text', BOOLEAN: 'boolean',
};

export function translate(statement: string): Translated {
  let tokens: Token[];
  try {
    tokens = tokenize(statement);
  } catch (err) {
    if (err instanceof SqlSyntaxError) throw syntaxError(err.position, err.near);
    throw err;
  }
  const statements = splitStatements(tokens);
  if (statements.length !== 1) {
    throw new SqlCompilationError('000008', '0A000', `Actual statement count ${statements.length} did not match the desired statement count 1.`);
  }
  return new Translator(statements[0]).run();
}

function splitStatements(tokens: Token[]): Token[][] {
  const out: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'op' && t.text === ';') out.push([]);
    else out[out.length - 1].push(t);
  }
  return out.filter((s) => s.length > 0);
}

class Translator {
  private i = 0;
  private binds = 0;
  private readonly out: string[] = [];
  private readonly kind: StatementKind;
  /** The table an INSERT, UPDATE or MERGE writes: source binds `? AS "C"` are cast to its column C's type. */
  private readonly target?: TableDef;

  constructor(private readonly tokens: Token[]) {
    const first = tokens[0];
    const kind = first.kind === 'word' ? KINDS[first.text] : undefined;
    if (!kind) throw syntaxError(first.position, first.value);
    this.kind = kind;
    const targetAt = kind === 'update' ? 1 : tokens.findIndex((t) => t.kind === 'word' && t.text === 'INTO') + 1;
    if (kind !== 'select' && kind !== 'delete' && targetAt > 0) this.target = findTable(this.tableNameAt(targetAt));
  }

  run(): Translated {
    while (this.i < this.tokens.length) this.step();
    const sql = this.out.join(' ') + (this.kind === 'merge' ? ' RETURNING merge_action() AS "ACTION"' : '');
    return { kind: this.kind, sql, bindCount: this.binds };
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private isWord(token: Token | undefined, text: string): boolean {
    return token?.kind === 'word' && token.text === text;
  }

  private isOp(token: Token | undefined, text: string): boolean {
    return token?.kind === 'op' && token.text === text;
  }

  private step(): void {
    const t = this.tokens[this.i];
    switch (t.kind) {
      case 'bind': return this.bind();
      case 'string': this.out.push(`'${t.value.replace(/'/g, "''")}'`); this.i++; return;
      case 'number': this.out.push(t.text); this.i++; return;
      case 'op': return this.operator(t);
      case 'quoted':
      case 'word': return this.word(t);
    }
  }

  private operator(t: Token): void {
    if (t.text === '::') {
      const type = this.peek(1);
      const mapped = type?.kind === 'word' ? TYPES[type.text] : undefined;
      if (!type || !mapped) throw syntaxError(type?.position ?? t.position, type?.value ?? '::');
      this.out.push(`::${mapped}`);
      this.i += 2;
      this.skipTypeArguments();
      return;
    }
    if (t.text === '*' && this.isWord(this.tokens[this.i - 1], 'SELECT')) return this.star(t);
    if (t.text === '=>' || t.text === '!=') {
      if (t.text === '=>') throw syntaxError(t.position, t.text);
      this.out.push('<>');
    } else {
      this.out.push(t.text);
    }
    this.i++;
  }

  /** `(38,0)` after a type name: Postgres casts take them too, but the sandbox casts to the plain type. */
  private skipTypeArguments(): void {
    if (!this.isOp(this.peek(), '(')) return;
    while (this.i < this.tokens.length && !this.isOp(this.peek(), ')')) this.i++;
    this.i++;
  }

  private bind(): void {
    this.binds++;
    const param = `$${this.binds}`;
    this.i++;
    // A source row of MERGE/UPDATE ... FROM (SELECT ? AS "C" ...): typed as the target's column C,
    // as Snowflake converts a bind to the column it is assigned to.
    const alias = this.isWord(this.peek(), 'AS') ? this.peek(1) : undefined;
    const column = alias && (alias.kind === 'word' || alias.kind === 'quoted') ? this.target?.columns.find((c) => c.name === alias.value) : undefined;
    this.out.push(column ? `CAST(${param} AS ${castType(column)})` : param);
  }

  private word(t: Token): void {
    if (t.kind === 'word' && t.text === 'CURRENT_TIMESTAMP') {
      this.out.push('CURRENT_TIMESTAMP');
      this.i++;
      if (this.isOp(this.peek(), '(') && this.isOp(this.peek(1), ')')) this.i += 2;
      return;
    }
    if (t.kind === 'word' && KEYWORDS.has(t.text)) {
      if (t.text === 'AS' && this.castTypeFollows()) return;
      this.out.push(t.text);
      this.i++;
      return;
    }
    if (t.kind === 'word' && this.isOp(this.peek(1), '(') && !this.isWord(this.tokens[this.i - 1], 'INTO')) {
      if (!FUNCTIONS.has(t.text)) throw new SqlCompilationError('002140', '42601', `SQL compilation error:\nUnknown function ${t.text}`);
      this.out.push(t.text);
      this.i++;
      return;
    }
    const name = this.qualifiedName();
    if (this.isWord(this.peek(), 'CHANGES')) return this.changes(name, t);
    this.out.push(name.map(quoteIdent).join('.'));
  }

  /** `AS <type>` inside CAST(...): the type mapped. */
  private castTypeFollows(): boolean {
    const type = this.peek(1);
    if (type?.kind !== 'word' || !TYPES[type.text]) return false;
    let depth = 0;
    for (let j = this.i - 1; j >= 0; j--) {
      const back = this.tokens[j];
      if (this.isOp(back, ')')) depth++;
      if (this.isOp(back, '(')) {
        if (depth === 0) {
          if (!this.isWord(this.tokens[j - 1], 'CAST')) return false;
          this.out.push(`AS ${TYPES[type.text]}`);
          this.i += 2;
          this.skipTypeArguments();
          return true;
        }
        depth--;
      }
    }
    return false;
  }

  /** An identifier, maybe qualified (FORGE_DB.PUBLIC.CONTACTS, S.EMAIL): the parts, database and schema dropped. */
  private qualifiedName(): string[] {
    const parts: Token[] = [this.tokens[this.i++]];
    while (this.isOp(this.peek(), '.') && (this.peek(1)?.kind === 'word' || this.peek(1)?.kind === 'quoted')) {
      parts.push(this.tokens[this.i + 1]);
      this.i += 2;
    }
    for (const p of parts) {
      if (p.value.toUpperCase().startsWith('__SF_')) throw invalidIdentifier(p);
    }
    if (parts.length === 3) {
      const [db, schema] = parts;
      if (db.value !== DATABASE) throw new SqlCompilationError('002003', '02000', `SQL compilation error:\nDatabase '${db.value}' does not exist or not authorized.`);
      if (schema.value !== SCHEMA) throw new SqlCompilationError('002003', '02000', `SQL compilation error:\nSchema '${db.value}.${schema.value}' does not exist or not authorized.`);
      return [parts[2].value];
    }
    return parts.map((p) => p.value);
  }

  private tableNameAt(index: number): string {
    const t = this.tokens[index];
    if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) return '';
    let last = t;
    for (let j = index + 1; this.isOp(this.tokens[j], '.') && this.tokens[j + 1]; j += 2) last = this.tokens[j + 1];
    return last.value;
  }

  /** `SELECT *`: the table's columns without the row-id column (the table from the FROM that follows). */
  private star(t: Token): void {
    const from = this.tokens.findIndex((x, j) => j > this.i && x.kind === 'word' && x.text === 'FROM');
    const table = from > 0 ? findTable(this.tableNameAt(from + 1)) : undefined;
    const changes = from > 0 && this.tokens.slice(from + 1).some((x) => x.kind === 'word' && x.text === 'CHANGES');
    if (!table) {
      this.out.push(t.text);
    } else {
      const columns = table.columns.map((c) => quoteIdent(c.name));
      if (changes) columns.push('"METADATA$ACTION"', '"METADATA$ISUPDATE"', '"METADATA$ROW_ID"');
      this.out.push(columns.join(', '));
    }
    this.i++;
  }

  /**
   * `T CHANGES(INFORMATION => DEFAULT) AT(TIMESTAMP => a) [END(TIMESTAMP => b)]`: the net change of
   * each row between a and b (now when END is absent), from the change log the sandbox's triggers keep.
   * A row inserted and updated in the window is one INSERT; an updated row is a DELETE of its old
   * values and an INSERT of its new ones, both METADATA$ISUPDATE; a deleted row one DELETE.
   */
  private changes(name: string[], at: Token): void {
    const table = findTable(name[name.length - 1]);
    if (!table) throw new SqlCompilationError('002003', '42S02', `SQL compilation error:\nObject '${name.join('.')}' does not exist or not authorized.`);
    if (!table.changeTracking) {
      throw new SqlCompilationError('000904', '42000', `SQL compilation error:\nChange tracking is not enabled or has been missing for the time range requested on table '${DATABASE}.${SCHEMA}.${table.name}'.`);
    }
    this.i++; // CHANGES
    this.expectSequence(['(', 'INFORMATION', '=>', 'DEFAULT', ')'], at);
    const from = this.timeBound('AT', at);
    const to = this.isWord(this.peek(), 'END') ? this.timeBound('END', at) : 'CURRENT_TIMESTAMP';
    const columns = (image: string) => table.columns.map((c) => `${image}.${quoteIdent(c.name)}`).join(', ');
    const rowType = `${quoteIdent(table.name)}`;
    this.out.push(`(WITH w AS (SELECT * FROM "__SF_CHANGES" WHERE table_name = '${table.name}' AND changed_at > (${from}) AND changed_at <= (${to})),
 f AS (SELECT DISTINCT ON (row_id) row_id, action, old_row FROM w ORDER BY row_id, seq),
 l AS (SELECT DISTINCT ON (row_id) row_id, action, new_row FROM w ORDER BY row_id, seq DESC),
 n AS (SELECT f.row_id, f.action <> 'I' AS existed, l.action <> 'D' AS present, f.old_row, l.new_row FROM f JOIN l USING (row_id))
 SELECT ${columns('r')}, 'INSERT'::text AS "METADATA$ACTION", n.existed AS "METADATA$ISUPDATE", n.row_id AS "METADATA$ROW_ID"
   FROM n CROSS JOIN LATERAL jsonb_populate_record(NULL::${rowType}, n.new_row) r WHERE n.present
 UNION ALL
 SELECT ${columns('r')}, 'DELETE'::text, n.present, n.row_id
   FROM n CROSS JOIN LATERAL jsonb_populate_record(NULL::${rowType}, n.old_row) r WHERE n.existed) AS ${quoteIdent(table.name)}`);
  }

  private expectSequence(texts: string[], near: Token): void {
    for (const text of texts) {
      const t = this.peek();
      if (!t || t.text !== text) throw syntaxError(t?.position ?? near.position, t?.value ?? text);
      this.i++;
    }
  }

  /** `AT(TIMESTAMP => <expr>)` or `END(...)`: the expression, translated. */
  private timeBound(keyword: 'AT' | 'END', near: Token): string {
    this.expectSequence([keyword, '(', 'TIMESTAMP', '=>'], near);
    const start = this.out.length;
    let depth = 0;
    while (this.i < this.tokens.length && !(depth === 0 && this.isOp(this.peek(), ')'))) {
      if (this.isOp(this.peek(), '(')) depth++;
      if (this.isOp(this.peek(), ')')) depth--;
      this.step();
    }
    this.expectSequence([')'], near);
    return this.out.splice(start).join(' ');
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function syntaxError(position: number, near: string): SqlCompilationError {
  return new SqlCompilationError('001003', '42000', `SQL compilation error:\nsyntax error line 1 at position ${position} unexpected '${near}'.`);
}

function invalidIdentifier(t: Token): SqlCompilationError {
  return new SqlCompilationError('000904', '42000', `SQL compilation error: error line 1 at position ${t.position}\ninvalid identifier '${t.kind === 'quoted' ? `"${t.value}"` : t.value}'`);
}


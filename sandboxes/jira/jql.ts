import type { StoredRecord } from '../kit';
import { customField } from './site';

/**
 * The subset of JQL (support.atlassian.com "JQL fields/operators") the sandbox evaluates:
 *   clauses  field op value, joined by AND / OR / NOT and parentheses
 *   fields   project, key (issuekey), id, summary, labels, issuetype (type), priority, created,
 *            updated, cf[NNNNN] / customfield_NNNNN
 *   ops      = != > >= < <= ~ !~ in, not in, is empty, is not empty
 *   dates    "yyyy-MM-dd HH:mm", "yyyy/MM/dd HH:mm", "yyyy-MM-dd", "yyyy/MM/dd" in the user's time
 *            zone (minute precision: there is no way to say seconds), -5m/-2h/-1d/-1w relative to
 *            now, or a bare number of epoch milliseconds
 *   ORDER BY up to 7 of created, updated, key, id, summary, each ASC or DESC
 * Text search (`~`) compares words, as JIRA's index does: "ext-1" matches a value containing the
 * words ext and 1 in that order, never "ext-10". A query with no clause is refused as unbounded.
 */
export class JqlError extends Error {}

type Value = string | number | null;
interface Clause { kind: 'clause'; field: string; op: string; values: Value[] }
type Expr = Clause | { kind: 'and'; parts: Expr[] } | { kind: 'or'; parts: Expr[] } | { kind: 'not'; part: Expr };
export interface OrderBy { field: string; direction: 'ASC' | 'DESC' }
export interface Jql { where?: Expr; orderBy: OrderBy[] }

const ORDERABLE = ['created', 'updated', 'key', 'id', 'summary'];
const FIELDS = ['project', 'key', 'issuekey', 'id', 'summary', 'labels', 'issuetype', 'type', 'priority', 'created', 'updated'];

export function parseJql(text: string): Jql {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const isWord = (word: string): boolean => peek()?.toUpperCase() === word;
  const take = (): string => {
    const token = tokens[pos++];
    if (token === undefined) throw new JqlError('Error in the JQL Query: the query ended unexpectedly.');
    return token;
  };

  const value = (): Value => {
    const token = take();
    if (token.startsWith('"') || token.startsWith("'")) return unquote(token);
    if (/^-?\d+$/.test(token)) return Number(token);
    if (['EMPTY', 'NULL'].includes(token.toUpperCase())) return null;
    return token;
  };
  const clause = (): Expr => {
    const raw = take();
    const field = fieldName(raw);
    let op = take().toLowerCase();
    if (op === 'not' && isWord('IN')) { take(); op = 'not in'; }
    if (op === 'is' && isWord('NOT')) { take(); op = 'is not'; }
    if (!['=', '!=', '>', '>=', '<', '<=', '~', '!~', 'in', 'not in', 'is', 'is not'].includes(op)) {
      throw new JqlError(`Error in the JQL Query: Expecting operator but got '${op}'.`);
    }
    if (op === 'in' || op === 'not in') {
      if (take() !== '(') throw new JqlError(`Error in the JQL Query: Expecting '(' after '${op}'.`);
      const values: Value[] = [value()];
      while (peek() === ',') { take(); values.push(value()); }
      if (take() !== ')') throw new JqlError("Error in the JQL Query: Expecting ')'.");
      return { kind: 'clause', field, op, values };
    }
    return { kind: 'clause', field, op, values: [value()] };
  };
  const unary = (): Expr => {
    if (isWord('NOT')) { take(); return { kind: 'not', part: unary() }; }
    if (peek() === '(') {
      take();
      const inner = or();
      if (take() !== ')') throw new JqlError("Error in the JQL Query: Expecting ')'.");
      return inner;
    }
    return clause();
  };
  const and = (): Expr => {
    const parts = [unary()];
    while (isWord('AND')) { take(); parts.push(unary()); }
    return parts.length === 1 ? parts[0] : { kind: 'and', parts };
  };
  const or = (): Expr => {
    const parts = [and()];
    while (isWord('OR')) { take(); parts.push(and()); }
    return parts.length === 1 ? parts[0] : { kind: 'or', parts };
  };

  const where = peek() !== undefined && !isWord('ORDER') ? or() : undefined;
  const orderBy: OrderBy[] = [];
  if (isWord('ORDER')) {
    take();
    if (!isWord('BY')) throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
    take();
    do {
      if (peek() === ',') take();
      const field = fieldName(take());
      if (!ORDERABLE.includes(field)) throw new JqlError(`Field '${field}' does not support sorting.`);
      const direction = isWord('ASC') || isWord('DESC') ? take().toUpperCase() as 'ASC' | 'DESC' : 'ASC';
      orderBy.push({ field, direction });
    } while (peek() === ',');
    if (orderBy.length > 7) throw new JqlError('The ORDER BY clause can contain at most 7 fields.');
  }
  if (pos < tokens.length) throw new JqlError(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${tokens[pos]}'.`);
  return { where, orderBy };
}

export interface EvalContext {
  timeZone: string;
  nowMs: number;
}

export function matches(expr: Expr | undefined, record: StoredRecord, ctx: EvalContext): boolean {
  if (!expr) return true;
  if (expr.kind === 'and') return expr.parts.every((p) => matches(p, record, ctx));
  if (expr.kind === 'or') return expr.parts.some((p) => matches(p, record, ctx));
  if (expr.kind === 'not') return !matches(expr.part, record, ctx);
  return clauseMatches(expr, record, ctx);
}

function clauseMatches(clause: Clause, record: StoredRecord, ctx: EvalContext): boolean {
  const actual = fieldOf(record, clause.field);
  const { op, values } = clause;
  if (op === 'is' || op === 'is not') {
    const empty = actual === null || actual === undefined || actual === '' || (Array.isArray(actual) && actual.length === 0);
    return op === 'is' ? empty : !empty;
  }
  if (op === '~' || op === '!~') {
    const found = containsWords(actual, String(values[0] ?? ''));
    return op === '~' ? found : !found;
  }
  if (clause.field === 'created' || clause.field === 'updated') {
    const at = Date.parse(String(actual));
    const bound = dateValue(values[0], ctx);
    return compare(at, bound, op);
  }
  const candidates = Array.isArray(actual) ? actual : [actual];
  const equalsAny = values.some((v) => candidates.some((c) => sameValue(clause.field, c, v)));
  switch (op) {
    case '=':
    case 'in':
      return equalsAny;
    case '!=':
    case 'not in':
      return !equalsAny;
    default:
      return typeof actual === 'number' && typeof values[0] === 'number' ? compare(actual, values[0], op) : compareKeys(String(actual), String(values[0]), op);
  }
}

/** Compares a record's values in the order a query's ORDER BY gives. */
export function orderComparator(orderBy: OrderBy[]): (a: StoredRecord, b: StoredRecord) => number {
  const order = orderBy.length > 0 ? orderBy : [{ field: 'id', direction: 'ASC' as const }];
  return (a, b) => {
    for (const { field, direction } of order) {
      const sign = direction === 'DESC' ? -1 : 1;
      const diff = compareField(field, a, b);
      if (diff !== 0) return sign * diff;
    }
    return 0;
  };
}

function compareField(field: string, a: StoredRecord, b: StoredRecord): number {
  if (field === 'created' || field === 'updated') return Date.parse(String(fieldOf(a, field))) - Date.parse(String(fieldOf(b, field)));
  if (field === 'id') return Number(a.id) - Number(b.id);
  if (field === 'key') return keyOrder(String(a.fields.key), String(b.fields.key));
  return String(fieldOf(a, field) ?? '').localeCompare(String(fieldOf(b, field) ?? ''));
}

/** Keys sort by project, then by number (FORGE-9 before FORGE-10). */
function keyOrder(a: string, b: string): number {
  const [pa, na] = a.split('-');
  const [pb, nb] = b.split('-');
  return pa === pb ? Number(na) - Number(nb) : pa < pb ? -1 : 1;
}

function compareKeys(a: string, b: string, op: string): boolean {
  return compare(keyOrder(a, b), 0, op);
}

function compare(a: number, b: number, op: string): boolean {
  switch (op) {
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '=': return a === b;
    case '!=': return a !== b;
    default: throw new JqlError(`The operator '${op}' is not supported by this field.`);
  }
}

function fieldOf(record: StoredRecord, field: string): unknown {
  if (field === 'id') return record.id;
  if (field === 'key') return record.fields.key;
  if (field === 'created') return record.createdAt;
  if (field === 'updated') return record.updatedAt;
  return record.fields[field];
}

function sameValue(field: string, actual: unknown, wanted: Value): boolean {
  if (actual === null || actual === undefined || wanted === null) return (actual ?? null) === wanted;
  if (field === 'id') return String(actual) === String(wanted);
  return String(actual).toLowerCase() === String(wanted).toLowerCase();
}

function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Whether the words of `query` appear in `value`, in order and side by side (a phrase). */
function containsWords(value: unknown, query: string): boolean {
  if (typeof value !== 'string') return false;
  const have = words(value);
  const want = words(query.replace(/^"(.*)"$/s, '$1'));
  if (want.length === 0) return false;
  for (let i = 0; i + want.length <= have.length; i++) {
    if (want.every((w, j) => have[i + j] === w)) return true;
  }
  return false;
}

function fieldName(raw: string): string {
  const name = raw.startsWith('"') ? unquote(raw) : raw;
  const lower = name.toLowerCase();
  const cf = /^cf\[(\d+)\]$/.exec(lower) ?? /^customfield_(\d+)$/.exec(lower);
  if (cf) {
    const id = `customfield_${cf[1]}`;
    if (!customField(id)) throw new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`);
    return id;
  }
  if (!FIELDS.includes(lower)) throw new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`);
  if (lower === 'issuekey') return 'key';
  if (lower === 'type') return 'issuetype';
  return lower;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|('(?:[^'\\]|\\.)*')|(!=|>=|<=|!~|[=<>~(),])|([^\s=<>~!(),"']+))/gy;
  let match: RegExpExecArray | null;
  let last = 0;
  while ((match = re.exec(text)) !== null) {
    if (match[0].length === 0) break;
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
    last = re.lastIndex;
  }
  if (text.slice(last).trim() !== '') throw new JqlError(`Error in the JQL Query: The character '${text.slice(last).trim()[0]}' is a reserved JQL character.`);
  return tokens;
}

function unquote(token: string): string {
  return token.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** A JQL date value as epoch milliseconds: minute-precise wall time in the user's zone, relative, or epoch ms. */
export function dateValue(value: Value, ctx: EvalContext): number {
  if (typeof value === 'number') return value;
  const text = String(value ?? '').trim();
  const relative = /^([-+]?\d+)([wdhm])$/.exec(text);
  if (relative) {
    const unit = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2] as 'w' | 'd' | 'h' | 'm'];
    return ctx.nowMs + Number(relative[1]) * unit;
  }
  const wall = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/.exec(text);
  if (!wall) {
    throw new JqlError(`Date value '${text}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`);
  }
  const [, y, mo, d, h = '0', mi = '0'] = wall;
  return zonedWallTimeToEpoch(Number(y), Number(mo), Number(d), Number(h), Number(mi), ctx.timeZone);
}

/** Epoch ms of a wall-clock minute in an IANA time zone. */
export function zonedWallTimeToEpoch(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const first = asUtc - zoneOffsetMs(asUtc, timeZone);
  return asUtc - zoneOffsetMs(first, timeZone);
}

function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(at / 1000) * 1000;
}

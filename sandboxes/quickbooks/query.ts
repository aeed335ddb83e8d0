import type { RecordView } from '../kit';
import { wholeSecond } from './company-time';
import { entityByName, isObject, type EntitySpec, type Fields } from './entities';
import { faults } from './errors';
import { presentEntity } from './operations';

/**
 * The query language ("Query operations and syntax", Accounting API docs):
 *   SELECT * | count(*) FROM Entity [WHERE cond AND cond ...] [ORDERBY field [ASC|DESC], ...]
 *   [STARTPOSITION n] [MAXRESULTS m]
 * Conditions: field (=|<|>|<=|>=) literal, field IN (literal, ...), field LIKE '%text%'. There is
 * no OR. Without a condition on Active, name lists answer active entries only. MAXRESULTS is at most
 * 1000; STARTPOSITION counts from 1. String comparisons ignore case; MetaData times compare as instants.
 */
type Literal = string | number | boolean;
type Operator = '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';

interface Condition {
  field: string;
  operator: Operator;
  values: Literal[];
}

export interface ParsedQuery {
  entity: EntitySpec;
  count: boolean;
  where: Condition[];
  orderBy: Array<{ field: string; descending: boolean }>;
  startPosition: number;
  maxResults: number;
}

const MAX_RESULTS = 1000;
const DEFAULT_MAX_RESULTS = 100;

export function runQuery(view: RecordView, statement: string): Fields {
  const query = parseQuery(statement);
  const filterActive = query.entity.kind === 'name-list' && !query.where.some((c) => c.field.toLowerCase() === 'active');
  const matches: Fields[] = [];
  view.eachVisible(query.entity.name, (record) => {
    if (query.entity.kind === 'transaction' && record.archived) return;
    if (filterActive && record.archived) return;
    const entity = presentEntity(query.entity, { ...record, fields: record.fields });
    if (query.where.every((c) => holds(entity, c))) matches.push(entity);
  });
  if (query.count) return { totalCount: matches.length };
  matches.sort((a, b) => compareBy(a, b, query.orderBy));
  const page = matches.slice(query.startPosition - 1, query.startPosition - 1 + query.maxResults);
  return page.length === 0 ? {} : { [query.entity.name]: page, startPosition: query.startPosition, maxResults: page.length };
}

export function parseQuery(statement: string): ParsedQuery {
  const tokens = tokenize(statement);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const next = (what: string): string => {
    const token = tokens[i++];
    if (token === undefined) throw faults.queryParser(`expected ${what} at the end of the statement`);
    return token;
  };
  const keyword = (word: string): boolean => peek()?.toUpperCase() === word;
  const expect = (word: string): void => {
    const token = next(word);
    if (token.toUpperCase() !== word) throw faults.queryParser(`expected ${word} but found "${token}"`);
  };

  expect('SELECT');
  let count = false;
  const projection = next('* or count(*)');
  if (projection.toLowerCase() === 'count') {
    expect('('); expect('*'); expect(')');
    count = true;
  } else if (projection !== '*') {
    throw faults.queryParser(`only SELECT * and SELECT count(*) are supported, not "${projection}"`);
  }
  expect('FROM');
  const entityName = next('an entity');
  const entity = entityByName(entityName);
  if (!entity) throw faults.queryParser(`unknown entity "${entityName}"`);

  const where: Condition[] = [];
  if (keyword('WHERE')) {
    i++;
    for (;;) {
      const field = next('a field');
      const operator = next('an operator').toUpperCase();
      if (operator === 'IN') {
        expect('(');
        const values: Literal[] = [];
        for (;;) {
          values.push(literal(next('a value')));
          const separator = next(', or )');
          if (separator === ')') break;
          if (separator !== ',') throw faults.queryParser(`expected , or ) but found "${separator}"`);
        }
        where.push({ field, operator: 'IN', values });
      } else if (['=', '<', '>', '<=', '>=', 'LIKE'].includes(operator)) {
        where.push({ field, operator: operator as Operator, values: [literal(next('a value'))] });
      } else {
        throw faults.queryParser(`unsupported operator "${operator}"`);
      }
      if (!keyword('AND')) break;
      i++;
    }
  }
  const orderBy: ParsedQuery['orderBy'] = [];
  if (keyword('ORDERBY') || keyword('ORDER')) {
    if (next('ORDERBY').toUpperCase() === 'ORDER') expect('BY');
    for (;;) {
      const field = next('a field');
      let descending = false;
      if (keyword('ASC') || keyword('DESC')) descending = next('ASC or DESC').toUpperCase() === 'DESC';
      orderBy.push({ field, descending });
      if (peek() !== ',') break;
      i++;
    }
  }
  let startPosition = 1;
  let maxResults = DEFAULT_MAX_RESULTS;
  while (keyword('STARTPOSITION') || keyword('MAXRESULTS')) {
    const word = next('a keyword').toUpperCase();
    const n = Number(next('a number'));
    if (!Number.isInteger(n) || n < 1) throw faults.queryParser(`${word} must be a positive whole number`);
    if (word === 'STARTPOSITION') startPosition = n;
    else maxResults = Math.min(n, MAX_RESULTS);
  }
  if (peek() !== undefined) throw faults.queryParser(`unexpected "${peek()}"`);
  return { entity, count, where, orderBy, startPosition, maxResults };
}

function tokenize(statement: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(?:('(?:\\.|[^'\\])*')|(<=|>=|[=<>(),*])|([A-Za-z_][\w.]*)|(-?\d+(?:\.\d+)?))/y;
  let index = 0;
  const text = statement.trim();
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) throw faults.queryParser(`cannot read the statement at "${text.slice(index, index + 20)}"`);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
    index = pattern.lastIndex;
  }
  return tokens;
}

function literal(token: string): Literal {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^(true|false)$/i.test(token)) return token.toLowerCase() === 'true';
  const n = Number(token);
  if (Number.isFinite(n)) return n;
  throw faults.queryParser(`"${token}" is not a value`);
}

function valueAt(entity: Fields, field: string): unknown {
  let node: unknown = entity;
  for (const segment of field.split('.')) {
    if (!isObject(node)) return undefined;
    const key = Object.keys(node).find((k) => k.toLowerCase() === segment.toLowerCase());
    node = key === undefined ? undefined : node[key];
  }
  // A reference ({ value, name }) compares by its value.
  return isObject(node) && 'value' in node ? node.value : node;
}

function holds(entity: Fields, condition: Condition): boolean {
  const actual = valueAt(entity, condition.field);
  if (actual === undefined || actual === null) return false;
  const isTime = /time$/i.test(condition.field) || /date$/i.test(condition.field);
  const compare = (wanted: Literal): number => compareValues(actual, wanted, isTime);
  switch (condition.operator) {
    case '=': return compare(condition.values[0]) === 0;
    case '<': return compare(condition.values[0]) < 0;
    case '>': return compare(condition.values[0]) > 0;
    case '<=': return compare(condition.values[0]) <= 0;
    case '>=': return compare(condition.values[0]) >= 0;
    case 'IN': return condition.values.some((v) => compare(v) === 0);
    case 'LIKE': {
      const pattern = String(condition.values[0]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*');
      return new RegExp(`^${pattern}$`, 'i').test(String(actual));
    }
  }
}

function compareValues(actual: unknown, wanted: Literal, isTime: boolean): number {
  if (typeof wanted === 'boolean') return String(actual) === String(wanted) ? 0 : 1;
  if (isTime && typeof actual === 'string' && typeof wanted === 'string') return wholeSecond(actual) - wholeSecond(wanted);
  const a = Number(actual);
  const b = Number(wanted);
  if (typeof actual !== 'boolean' && String(actual).trim() !== '' && String(wanted).trim() !== '' && Number.isFinite(a) && Number.isFinite(b)) return a - b;
  const x = String(actual).toLowerCase();
  const y = String(wanted).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareBy(a: Fields, b: Fields, orderBy: ParsedQuery['orderBy']): number {
  for (const { field, descending } of [...orderBy, { field: 'Id', descending: false }]) {
    const isTime = /time$/i.test(field);
    const x = valueAt(a, field);
    const y = valueAt(b, field);
    const order = x === y ? 0 : x === undefined ? -1 : y === undefined ? 1 : compareValues(x, y as Literal, isTime);
    if (order !== 0) return descending ? -order : order;
  }
  return 0;
}

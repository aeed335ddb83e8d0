import { randomBytes } from 'node:crypto';
import type { HandlerContext, Reply, Route, SandboxRequest, StoredRecord } from '../kit';
import { fail } from './errors';
import { fieldValue, presentRecord } from './records';
import { checkVersion } from './request';
import { fieldOf, findSObject, type FieldSpec, type SObjectSpec } from './schema';
import { parseSoql, SoqlError, type Condition, type Literal, type SoqlQuery } from './soql';
import { parseDateTime } from './values';
import { API_VERSION, DEFAULT_QUERY_BATCH } from './version';

/**
 * GET /services/data/vXX.X/query?q= and /queryAll?q= (deleted records too), paged: a result larger
 * than the batch size answers { totalSize, done: false, nextRecordsUrl: '/services/data/vXX.X/query/01g...-2000', records }
 * and the client GETs nextRecordsUrl. The batch size is 2,000 unless the Sforce-Query-Options header
 * asks for batchSize=200..2000.
 */
interface OpenCursor {
  rows: Record<string, unknown>[];
  batchSize: number;
}

export function queryRoutes(): Route[] {
  const cursors = new Map<string, OpenCursor>();
  const run = (req: SandboxRequest, ctx: HandlerContext, includeDeleted: boolean): Reply => {
    checkVersion(req);
    const text = req.query.get('q');
    if (!text) fail(400, 'MALFORMED_QUERY', 'A query string must be provided.');
    const rows = runQuery(ctx, text, includeDeleted);
    return page(cursors, rows, batchSizeOf(req), 0);
  };
  const more = (req: SandboxRequest): Reply => {
    checkVersion(req);
    const match = /^(01g[A-Za-z0-9]+)-(\d+)$/.exec(req.params.locator ?? '');
    const cursor = match ? cursors.get(match[1]) : undefined;
    if (!match || !cursor) fail(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return page(cursors, cursor.rows, cursor.batchSize, Number(match[2]), match[1]);
  };
  return [
    { method: 'GET', path: '/services/data/:version/query', handle: (req, ctx) => run(req, ctx, false) },
    { method: 'GET', path: '/services/data/:version/queryAll', handle: (req, ctx) => run(req, ctx, true) },
    { method: 'GET', path: '/services/data/:version/query/:locator', handle: (req) => more(req) },
    { method: 'GET', path: '/services/data/:version/queryAll/:locator', handle: (req) => more(req) },
  ];
}

function batchSizeOf(req: SandboxRequest): number {
  const header = req.headers['sforce-query-options'];
  const asked = /batchSize\s*=\s*(\d+)/i.exec(Array.isArray(header) ? header.join(',') : header ?? '')?.[1];
  return asked ? Math.min(DEFAULT_QUERY_BATCH, Math.max(200, Number(asked))) : DEFAULT_QUERY_BATCH;
}

function page(cursors: Map<string, OpenCursor>, rows: Record<string, unknown>[], batchSize: number, offset: number, locator?: string): Reply {
  const end = offset + batchSize;
  const done = end >= rows.length;
  let id = locator;
  if (!done && !id) {
    id = `01g${randomBytes(8).toString('hex').slice(0, 15)}`;
    cursors.set(id, { rows, batchSize });
  }
  if (done && id) cursors.delete(id);
  return {
    status: 200,
    body: {
      totalSize: rows.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${API_VERSION}/query/${id}-${end}` }),
      records: rows.slice(offset, end),
    },
  };
}

function runQuery(ctx: HandlerContext, text: string, includeDeleted: boolean): Record<string, unknown>[] {
  let query: SoqlQuery;
  try {
    query = parseSoql(text);
  } catch (error) {
    if (error instanceof SoqlError) fail(400, 'MALFORMED_QUERY', `\n${text}\n^\nERROR at Row:1:Column:1\n${error.message}`);
    throw error;
  }
  const spec = findSObject(query.from);
  if (!spec) fail(400, 'INVALID_TYPE', `\n${text}\n^\nERROR at Row:1:Column:1\nsObject type '${query.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`);
  const named = [...query.fields, ...query.orderBy.map((o) => o.field), ...conditionFields(query.where)];
  const unknown = named.find((f) => !fieldOf(spec, f));
  if (unknown) fail(400, 'INVALID_FIELD', `\n${text}\n^\nERROR at Row:1:Column:1\nNo such column '${unknown}' on entity '${spec.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);
  if (query.where) checkLiterals(spec, query.where);

  let matching = ctx.records.list(spec.name).filter((r) => (includeDeleted || !r.archived) && (!query.where || evaluate(spec, r, query.where)));
  if (query.orderBy.length > 0) matching = [...matching].sort((a, b) => compareRows(spec, a, b, query));
  const from = query.offset ?? 0;
  const sliced = matching.slice(from, query.limit === undefined ? undefined : from + query.limit);
  return sliced.map((r) => presentRecord(spec, r, query.fields));
}

function conditionFields(condition: Condition | undefined): string[] {
  if (!condition) return [];
  switch (condition.kind) {
    case 'and':
    case 'or':
      return [...conditionFields(condition.left), ...conditionFields(condition.right)];
    case 'not':
      return conditionFields(condition.inner);
    default:
      return [condition.field];
  }
}

const TEMPORAL: Record<string, Literal['kind']> = { datetime: 'datetime', date: 'date' };

/** Date-time and date fields take unquoted literals only, as Salesforce insists. */
function checkLiterals(spec: SObjectSpec, condition: Condition): void {
  switch (condition.kind) {
    case 'and':
    case 'or':
      checkLiterals(spec, condition.left);
      checkLiterals(spec, condition.right);
      return;
    case 'not':
      return checkLiterals(spec, condition.inner);
    default:
      checkComparisonLiterals(spec, condition);
  }
}

function checkComparisonLiterals(spec: SObjectSpec, condition: Extract<Condition, { field: string }>): void {
  const field = fieldOf(spec, condition.field)!;
  const wanted = TEMPORAL[field.type];
  const values = condition.kind === 'in' ? condition.values : [condition.value];
  if (wanted && values.some((v) => v.kind !== wanted && v.kind !== 'null')) {
    fail(400, 'INVALID_FIELD', `value of filter criterion for field '${field.name}' must be of type ${wanted === 'datetime' ? 'dateTime' : 'date'} and should not be enclosed in quotes`);
  }
}

function evaluate(spec: SObjectSpec, record: StoredRecord, condition: Condition): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluate(spec, record, condition.left) && evaluate(spec, record, condition.right);
    case 'or':
      return evaluate(spec, record, condition.left) || evaluate(spec, record, condition.right);
    case 'not':
      return !evaluate(spec, record, condition.inner);
    case 'in': {
      const field = fieldOf(spec, condition.field)!;
      const value = fieldValue(spec, record, field.name);
      const found = condition.values.some((v) => compareValues(field, value, v) === 0);
      return condition.negated ? !found : found;
    }
    default: {
      const field = fieldOf(spec, condition.field)!;
      const value = fieldValue(spec, record, field.name);
      if (condition.op === 'LIKE') return like(value, condition.value);
      if (condition.value.kind === 'null' || value === null || value === undefined) {
        const bothNull = condition.value.kind === 'null' && (value === null || value === undefined);
        if (condition.op === '=') return bothNull;
        if (condition.op === '!=') return !bothNull;
        return false;
      }
      const order = compareValues(field, value, condition.value);
      switch (condition.op) {
        case '=': return order === 0;
        case '!=': return order !== 0;
        case '<': return order < 0;
        case '<=': return order <= 0;
        case '>': return order > 0;
        default: return order >= 0;
      }
    }
  }
}

function like(value: unknown, pattern: Literal): boolean {
  if (pattern.kind !== 'string' || value === null || value === undefined) return false;
  const regex = new RegExp(`^${pattern.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i');
  return regex.test(String(value));
}

/** Orders a field's value against a literal: NaN-free, case-insensitive for text, case-sensitive for ids. */
function compareValues(field: FieldSpec, value: unknown, literal: Literal): number {
  if (value === null || value === undefined || literal.kind === 'null') {
    return (value === null || value === undefined) && literal.kind === 'null' ? 0 : Number.NaN;
  }
  switch (field.type) {
    case 'datetime':
      return Math.sign(parseDateTime(String(value)) - parseDateTime('value' in literal ? String(literal.value) : ''));
    case 'double':
    case 'currency':
    case 'int':
      return Math.sign(Number(value) - Number('value' in literal ? literal.value : Number.NaN));
    case 'boolean':
      return value === ('value' in literal ? literal.value : undefined) ? 0 : 1;
    case 'id':
    case 'reference':
      return compareText(String(value), 'value' in literal ? String(literal.value) : '');
    default:
      return compareText(String(value).toLowerCase(), 'value' in literal ? String(literal.value).toLowerCase() : '');
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRows(spec: SObjectSpec, a: StoredRecord, b: StoredRecord, query: SoqlQuery): number {
  for (const item of query.orderBy) {
    const field = fieldOf(spec, item.field)!;
    const x = fieldValue(spec, a, field.name);
    const y = fieldValue(spec, b, field.name);
    const xNull = x === null || x === undefined;
    const yNull = y === null || y === undefined;
    if (xNull || yNull) {
      if (xNull && yNull) continue;
      return (xNull ? -1 : 1) * (item.nullsLast ? -1 : 1);
    }
    const literal: Literal = field.type === 'datetime' ? { kind: 'datetime', value: String(y) } : typeof y === 'number' ? { kind: 'number', value: y } : typeof y === 'boolean' ? { kind: 'boolean', value: y } : { kind: 'string', value: String(y) };
    const order = field.type === 'boolean' ? Number(x) - Number(y) : compareValues(field, x, literal);
    if (order !== 0) return item.descending ? -order : order;
  }
  return 0;
}

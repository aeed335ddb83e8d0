import { json, type HandlerContext, type Reply, type SandboxRequest } from '../kit';
import { fail } from './errors';
import { customerType, DELETED_RECORD, dateColumnZone, salesOrderType, suiteqlRow, type SuiteqlRow } from './records';
import { invalidQuery, parseSuiteql, runQuery, type TableView } from './suiteql';
import { defaultDateFormat } from './time';

/**
 * POST /services/rest/query/v1/suiteql (Executing SuiteQL Queries Through REST Web Services,
 * section_157909186990; Using SuiteQL with SuiteTalk REST Web Services, section_158394344595;
 * Collection Paging, section_156414087576):
 * - the body is { q: "<query>" } and the request must say `Prefer: transient`;
 * - paging with ?limit (1 to 1000, default 1000) and ?offset (a multiple of limit); at most 100,000
 *   results can be reached (without SuiteAnalytics Connect);
 * - the answer is { links, count, hasMore, items, offset, totalResults }, each item a row with
 *   `links: []` and its columns, empty columns left out.
 * Tables: customer, transaction (sales orders, type = 'SalesOrd'), deletedrecord (the deletion log:
 * recordid, type, name, deleteddate).
 */
export const MAX_LIMIT = 1000;
export const MAX_RESULTS = 100_000;

function tableRows(table: string, ctx: HandlerContext, zone: string): { rows: SuiteqlRow[]; view: TableView } {
  const view = (columns: string[]): TableView => ({ columns: new Set(columns), dateZone: (c) => dateColumnZone(c, zone), accountZone: zone });
  if (table === 'customer' || table === 'transaction') {
    const type = table === 'customer' ? customerType : salesOrderType;
    const rows = ctx.records.list(type.object).filter((r) => !r.archived).map((r) => suiteqlRow(type, r, zone));
    const columns = ['id', 'lastmodifieddate', type.createdColumn, ...type.fields.filter((f) => f.column).map((f) => f.column),
      ...(type.tranType ? ['type', 'tranid', 'foreigntotal'] : ['entityid'])];
    return { rows, view: view(columns) };
  }
  if (table === 'deletedrecord') {
    const rows = ctx.records.list(DELETED_RECORD).map((r): SuiteqlRow => {
      const deleted = Date.parse(String(r.fields.deletedDate));
      return {
        typed: { recordid: Number(r.fields.recordId), type: r.fields.type, name: r.fields.name, deleteddate: deleted },
        shown: { recordid: String(r.fields.recordId), type: r.fields.type, name: r.fields.name, deleteddate: defaultDateFormat(deleted, zone) },
      };
    });
    return { rows, view: view(['recordid', 'type', 'name', 'deleteddate']) };
  }
  return invalidQuery(`Record '${table}' was not found.`);
}

function pagingParam(req: SandboxRequest, name: 'limit' | 'offset', fallback: number): number {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (name === 'limit' ? 1 : 0) || (name === 'limit' && value > MAX_LIMIT)) {
    fail(400, { detail: `Invalid value for the ${name} query parameter: ${name === 'limit' ? `an integer from 1 to ${MAX_LIMIT}` : 'a non-negative integer'}.`, code: 'INVALID_PARAMETER', queryParam: name });
  }
  return value;
}

export function runSuiteqlRequest(req: SandboxRequest, ctx: HandlerContext, zone: string): Reply {
  const prefer = String(req.headers.prefer ?? '');
  if (!/\btransient\b/i.test(prefer)) {
    fail(400, { detail: "The request must include the header 'Prefer: transient' to run a SuiteQL query.", code: 'INVALID_HEADER', header: 'Prefer' });
  }
  const limit = pagingParam(req, 'limit', MAX_LIMIT);
  const offset = pagingParam(req, 'offset', 0);
  if (offset % limit !== 0) fail(400, { detail: `The offset (${offset}) must be a multiple of the limit (${limit}).`, code: 'INVALID_PARAMETER', queryParam: 'offset' });
  if (offset >= MAX_RESULTS) fail(400, { detail: `Only the first ${MAX_RESULTS} results of a query can be reached without SuiteAnalytics Connect.`, code: 'INVALID_PARAMETER', queryParam: 'offset' });
  const q = typeof req.body === 'object' && req.body !== null ? (req.body as { q?: unknown }).q : undefined;
  if (typeof q !== 'string') fail(400, { detail: "The request body must be a JSON object with the query in 'q'.", code: 'INVALID_CONTENT', path: 'q' });
  const query = parseSuiteql(q);
  const { rows, view } = tableRows(query.from, ctx, zone);
  const all = runQuery(query, rows, view);
  const page = all.slice(offset, offset + limit);
  const self = `${ctx.baseUrl}/services/rest/query/v1/suiteql`;
  const link = (rel: string, at: number) => ({ rel, href: `${self}?limit=${limit}&offset=${at}` });
  const lastOffset = Math.max(0, Math.floor((all.length - 1) / limit) * limit);
  const hasMore = offset + limit < all.length;
  return json(200, {
    links: [link('self', offset), link('first', 0), ...(offset > 0 ? [link('previous', offset - limit)] : []), ...(hasMore ? [link('next', offset + limit)] : []), link('last', lastOffset)],
    count: page.length, hasMore, items: page.map((row) => ({ links: [], ...row })), offset, totalResults: all.length,
  });
}

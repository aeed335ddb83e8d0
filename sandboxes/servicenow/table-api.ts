import { json, type HandlerContext, type Reply, type Route, type SandboxRequest } from '../kit';
import { findTable, type TableDefinition } from './dictionary';
import { matches, parseEncodedQuery, sortRows, type Row } from './encoded-query';
import { aclRefused, dataPolicyException, fail, noRecord, snError } from './errors';
import {
  insertedFields, isSysId, missingMandatory, presentRow, recordDeletion, rowFields, updatedFields, writableValues, type Numbering,
} from './records';

/**
 * The Table API (Zurich/Australia "Table API" reference; the same since Geneva):
 *   GET    /api/now/table/{tableName}            sysparm_query, sysparm_fields, sysparm_limit, sysparm_offset,
 *                                                sysparm_exclude_reference_link; Link (first/prev/next/last) and X-Total-Count
 *   GET    /api/now/table/{tableName}/{sys_id}
 *   POST   /api/now/table/{tableName}            one record; a sys_id in the body is kept (201, Location)
 *   PUT|PATCH /api/now/table/{tableName}/{sys_id}
 *   DELETE /api/now/table/{tableName}/{sys_id}   204; the deletion is recorded in sys_audit_delete
 */
export const TABLE_PATH = '/api/now/table';
/** sysparm_limit's default (the docs: "Default: 10000"). */
const DEFAULT_LIMIT = 10_000;

function table(req: SandboxRequest, ctx: HandlerContext): TableDefinition {
  const found = findTable(req.params.table);
  if (!found || !ctx.records.hasObject(found.name)) throw fail(400, `Invalid table ${req.params.table}`);
  return found;
}

/** A row as a response shows it: only sysparm_fields (when given), references as { link, value } unless excluded. */
function shape(req: SandboxRequest, ctx: HandlerContext, t: TableDefinition, row: Row): Record<string, unknown> {
  const fields = (req.query.get('sysparm_fields') ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  const excludeLinks = req.query.get('sysparm_exclude_reference_link') === 'true';
  const names = fields.length > 0 ? fields.filter((f) => f in row) : Object.keys(row);
  return Object.fromEntries(names.map((name) => {
    const value = row[name];
    const isReference = t.references?.includes(name) && value !== '' && !excludeLinks;
    return [name, isReference ? { link: `${ctx.baseUrl}${TABLE_PATH}/${referencedTable(name)}/${value}`, value } : value];
  }));
}

function referencedTable(field: string): string {
  return field === 'assignment_group' ? 'sys_user_group' : field === 'department' ? 'cmn_department' : 'sys_user';
}

function list(req: SandboxRequest, ctx: HandlerContext): Reply {
  const t = table(req, ctx);
  const query = parseEncodedQuery(req.query.get('sysparm_query') ?? '', rowFields(t));
  const rows = sortRows(ctx.records.list(t.name).map((r) => presentRow(t, r)).filter((row) => matches(query, row)), query.orderBy);
  const limit = positive(req.query.get('sysparm_limit')) ?? DEFAULT_LIMIT;
  const offset = positive(req.query.get('sysparm_offset')) ?? 0;
  const page = rows.slice(offset, offset + limit);
  return json(200, { result: page.map((row) => shape(req, ctx, t, row)) }, {
    'x-total-count': String(rows.length),
    link: linkHeader(req, ctx, rows.length, offset, limit),
  });
}

function positive(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** `<url>;rel="first",<url>;rel="prev",<url>;rel="next",<url>;rel="last"`, as the Table API pages. */
function linkHeader(req: SandboxRequest, ctx: HandlerContext, total: number, offset: number, limit: number): string {
  const at = (o: number) => {
    const query = new URLSearchParams(req.query);
    query.set('sysparm_offset', String(o));
    query.set('sysparm_limit', String(limit));
    return `<${ctx.baseUrl}${req.path}?${query.toString()}>`;
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [`${at(0)};rel="first"`];
  if (offset > 0) links.push(`${at(Math.max(0, offset - limit))};rel="prev"`);
  if (offset + limit < total) links.push(`${at(offset + limit)};rel="next"`);
  links.push(`${at(last)};rel="last"`);
  return links.join(',');
}

function getOne(req: SandboxRequest, ctx: HandlerContext): Reply {
  const t = table(req, ctx);
  const record = ctx.records.read(t.name, req.params.sys_id);
  return record ? json(200, { result: shape(req, ctx, t, presentRow(t, record)) }) : noRecord();
}

function body(req: SandboxRequest): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) fail(400, 'Exception while reading request', 'The payload is not a JSON object.');
  return req.body as Record<string, unknown>;
}

function insert(numbering: Numbering) {
  return (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const t = table(req, ctx);
    if (t.readOnly) return aclRefused('Insert');
    const input = body(req);
    const values = writableValues(t, input);
    const missing = missingMandatory(t, values);
    if (missing.length > 0) return dataPolicyException(missing);
    const sysId = input.sys_id;
    if (sysId !== undefined && !isSysId(sysId)) return snError(400, 'Invalid sys_id', `${String(sysId)} is not a 32-character sys_id`);
    if (isSysId(sysId) && ctx.records.latest(t.name, sysId)) return snError(403, 'Operation Failed', `Error during insert of ${t.name} (${sysId})`);
    const record = ctx.records.insert(t.name, { ...(isSysId(sysId) ? { id: sysId } : {}), fields: insertedFields(t, values, ctx.clock.nowIso(), numbering) });
    return json(201, { result: shape(req, ctx, t, presentRow(t, record)) }, { location: `${ctx.baseUrl}${TABLE_PATH}/${t.name}/${record.id}` });
  };
}

function update(req: SandboxRequest, ctx: HandlerContext): Reply {
  const t = table(req, ctx);
  if (t.readOnly) return aclRefused('Update');
  const current = ctx.records.latest(t.name, req.params.sys_id);
  if (!current) return noRecord();
  const values = writableValues(t, body(req));
  const missing = missingMandatory(t, { ...current.fields, ...values });
  if (missing.length > 0) return dataPolicyException(missing);
  const record = ctx.records.update(t.name, current.id, updatedFields(t, current, values))!;
  return json(200, { result: shape(req, ctx, t, presentRow(t, record)) });
}

function remove(req: SandboxRequest, ctx: HandlerContext): Reply {
  const t = table(req, ctx);
  if (t.readOnly) return aclRefused('Delete');
  const current = ctx.records.latest(t.name, req.params.sys_id);
  if (!current) return noRecord();
  ctx.records.remove(t.name, current.id);
  // Under the delete-lies fault the record stays, and so nothing is audited.
  if (!ctx.records.latest(t.name, current.id)) recordDeletion(ctx, t, current);
  return { status: 204 };
}

export function tableRoutes(numbering: Numbering): Route[] {
  const one = `${TABLE_PATH}/:table/:sys_id`;
  return [
    { method: 'GET', path: `${TABLE_PATH}/:table`, handle: list },
    { method: 'GET', path: one, handle: getOne },
    { method: 'POST', path: `${TABLE_PATH}/:table`, handle: insert(numbering) },
    { method: 'PATCH', path: one, handle: update },
    { method: 'PUT', path: one, handle: update },
    { method: 'DELETE', path: one, handle: remove },
  ];
}



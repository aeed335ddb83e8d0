import { json, ReplyError, type HandlerContext, type Reply, type StoredRecord } from '../kit';
import { checkSelect, DELETIONS, presentRow, type EntityDef } from './entities';
import { odataError } from './errors';
import { filterProperties, matchesFilter, parseFilter, type Filter } from './odata';
import { API, type DataverseTables } from './tables';

/**
 * Collections: GET {entitySet}?$select&$filter&$top, paged by `Prefer: odata.maxpagesize=N`
 * (default and maximum 5000) with `@odata.nextLink`; and change tracking (Use change tracking to
 * synchronize data with external systems): `Prefer: odata.track-changes` makes the last page carry
 * `@odata.deltaLink` (…&$deltatoken=<rowversion>!<UTC time>); following it answers the rows created
 * or changed since (their current values) and, for rows deleted since,
 * { "@odata.context": "…/$metadata#<set>/$deletedEntity", "id": "<guid>", "reason": "deleted" },
 * in rowversion order, then a new delta link. Change-tracking requests take $select only
 * ($filter, $top and $orderby are refused, as Dataverse refuses them with odata.track-changes).
 */
export const MAX_PAGE_SIZE = 5000;

interface PageToken {
  /** The rowversion the whole read is consistent with. */
  upTo: number;
  /** Change tracking: the rowversion the delta starts after (0 for the first, full read). */
  from: number;
  /** The last rowversion (or, for plain queries, the offset) already answered. */
  after: number;
}

const encodeToken = (t: PageToken) => Buffer.from(JSON.stringify(t)).toString('base64url');

function badRequest(message: string): never {
  throw new ReplyError(odataError(400, '0x80060888', message));
}

function decodeToken(text: string): PageToken {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
    if ([t.upTo, t.from, t.after].every(Number.isInteger)) return t;
  } catch { /* answered below */ }
  return badRequest('The $skiptoken is not valid.');
}

/** The delta token Dataverse hands out: <rowversion>!<MM/dd/yyyy HH:mm:ss> (UTC). */
export function deltaToken(version: number, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${version}!${p(at.getUTCMonth() + 1)}/${p(at.getUTCDate())}/${at.getUTCFullYear()} ${p(at.getUTCHours())}:${p(at.getUTCMinutes())}:${p(at.getUTCSeconds())}`;
}

function parseDeltaToken(text: string): number {
  const match = /^(\d+)!\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/.exec(text);
  if (!match) badRequest(`The delta token '${text}' is not valid.`);
  return Number(match[1]);
}

function pageSize(prefer: string): number {
  const match = /odata\.maxpagesize=(\d+)/i.exec(prefer);
  return match ? Math.min(Math.max(Number(match[1]), 1), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
}

/** RFC 3986 percent-encoding ('!' too, as Dataverse writes the delta token's `!` as %21). */
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function link(ctx: HandlerContext, entity: EntityDef, params: Record<string, string | undefined>): string {
  const query = Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encode(v!)}`).join('&');
  return `${ctx.baseUrl}${API}/${entity.entitySet}?${query}`;
}

const versionOf = (r: StoredRecord) => Number(r.fields.versionnumber ?? 0);

export function readCollection(tables: DataverseTables, entity: EntityDef, query: URLSearchParams, prefer: string, ctx: HandlerContext): Reply {
  const select = (query.get('$select') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  checkSelect(entity, select);
  const size = pageSize(prefer);
  const context = `${ctx.baseUrl}${API}/$metadata#${entity.entitySet}${select.length ? `(${select.join(',')})` : ''}`;
  const selectParam = select.length ? select.join(',') : undefined;
  const deltaParam = query.get('$deltatoken');
  const tracking = /odata\.track-changes/i.test(prefer) || deltaParam !== null;

  if (tracking) {
    for (const option of ['$filter', '$top', '$orderby', '$expand']) {
      if (query.has(option)) badRequest(`The query option '${option}' cannot be used with change tracking (Prefer: odata.track-changes).`);
    }
    const skip = query.get('$skiptoken');
    const token = skip ? decodeToken(skip) : { upTo: tables.currentVersion(), from: deltaParam === null ? 0 : parseDeltaToken(deltaParam), after: deltaParam === null ? 0 : parseDeltaToken(deltaParam) };
    const rows = ctx.records.list(entity.entitySet).filter((r) => !r.archived && versionOf(r) > token.after && versionOf(r) <= token.upTo);
    const tombstones = token.from === 0 ? [] : ctx.records.list(DELETIONS)
      .filter((t) => t.fields.entitySet === entity.entitySet && versionOf(t) > token.after && versionOf(t) <= token.upTo);
    const entries = [...rows.map((r) => ({ version: versionOf(r), row: presentRow(entity, r, select) })),
      ...tombstones.map((t) => ({ version: versionOf(t), row: { '@odata.context': `${ctx.baseUrl}${API}/$metadata#${entity.entitySet}/$deletedEntity`, id: t.fields.recordId, reason: 'deleted' } }))]
      .sort((a, b) => a.version - b.version);
    const page = entries.slice(0, size);
    const more = entries.length > size;
    const last = page.at(-1)?.version ?? token.after;
    const body: Record<string, unknown> = { '@odata.context': token.from === 0 ? context : `${context}/$delta`, value: page.map((e) => e.row) };
    if (more) body['@odata.nextLink'] = link(ctx, entity, { $select: selectParam, ...(deltaParam !== null ? { $deltatoken: deltaParam } : {}), $skiptoken: encodeToken({ ...token, after: last }) });
    else body['@odata.deltaLink'] = link(ctx, entity, { $select: selectParam, $deltatoken: deltaToken(token.upTo, ctx.clock.now()) });
    return json(200, body, { 'odata-version': '4.0', 'preference-applied': ['odata.track-changes', ...(/maxpagesize/i.test(prefer) ? [`odata.maxpagesize=${size}`] : [])].join(',') });
  }

  const filterText = query.get('$filter');
  let filter: Filter | undefined;
  if (filterText !== null) {
    filter = parseFilter(filterText);
    checkSelect(entity, filterProperties(filter));
  }
  const top = query.has('$top') ? Number(query.get('$top')) : undefined;
  if (top !== undefined && (!Number.isInteger(top) || top < 0)) badRequest(`Invalid value for $top: '${query.get('$top')}'.`);
  const skip = query.get('$skiptoken');
  const offset = skip ? decodeToken(skip).after : 0;
  const matching = ctx.records.list(entity.entitySet).filter((r) => !r.archived && (!filter || matchesFilter(filter, { ...r.fields, [entity.primaryKey]: r.id })));
  const limited = top === undefined ? matching : matching.slice(0, top);
  const page = limited.slice(offset, offset + size);
  const body: Record<string, unknown> = { '@odata.context': context, value: page.map((r) => presentRow(entity, r, select)) };
  if (offset + size < limited.length) {
    body['@odata.nextLink'] = link(ctx, entity, { $select: selectParam, $filter: filterText ?? undefined, $top: top === undefined ? undefined : String(top),
      $skiptoken: encodeToken({ upTo: 0, from: 0, after: offset + size }) });
  }
  return json(200, body, { 'odata-version': '4.0', ...(/maxpagesize/i.test(prefer) ? { 'preference-applied': `odata.maxpagesize=${size}` } : {}) });
}

import type { HandlerContext, Reply, Route, SandboxRequest } from '../kit';
import { ERRNO, fault, faultReply, FreshbooksFault, invalid, notFound } from './errors';
import { RESOURCES, updatedDay, visState, type Fields, type ResourceSpec } from './resources';

/**
 * GET list, POST create, GET one, PUT update under /accounting/account/{accountid}/<path>. Lists
 * page with `page`/`per_page` (at most 100) and filter with `search[<name>]=<value>`: updated_min
 * and updated_max (YYYY-MM-DD, compared with the Eastern-time day of `updated`), vis_state, and
 * the resource's own (email for clients; invoice_number, customerid for invoices). Without
 * search[vis_state], deleted resources are left out of lists; GET by id answers them too.
 */
export const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 15;

export function accountingRoutes(accountId: string): Route[] {
  return RESOURCES.flatMap((spec): Route[] => {
    const base = `/accounting/account/:accountId/${spec.path}`;
    const guarded = (handle: (req: SandboxRequest, ctx: HandlerContext) => Reply) => (req: SandboxRequest, ctx: HandlerContext): Reply => {
      try {
        if (req.params.accountId !== accountId) throw fault(403, ERRNO.accessDenied, 'You do not have access to perform the action requested.', 'accountid', 'account', req.params.accountId);
        return handle(req, ctx);
      } catch (error) {
        if (error instanceof FreshbooksFault) return faultReply(error);
        throw error;
      }
    };
    return [
      { method: 'GET', path: base, handle: guarded((req, ctx) => list(spec, req, ctx, accountId)) },
      { method: 'POST', path: base, handle: guarded((req, ctx) => create(spec, req, ctx, accountId)) },
      { method: 'GET', path: `${base}/:id`, handle: guarded((req, ctx) => single(spec, found(spec, ctx, req.params.id), accountId)) },
      { method: 'PUT', path: `${base}/:id`, handle: guarded((req, ctx) => update(spec, req, ctx, accountId)) },
    ];
  });
}

function single(spec: ResourceSpec, record: ReturnType<typeof found>, accountId: string): Reply {
  return { status: 200, body: { response: { result: { [spec.single]: spec.present(record, accountId) } } } };
}

function found(spec: ResourceSpec, ctx: HandlerContext, id: string) {
  const record = /^\d+$/.test(id) ? ctx.records.read(spec.collection, id) : undefined;
  if (!record) throw notFound(spec.single, spec.idField, id);
  return record;
}

function list(spec: ResourceSpec, req: SandboxRequest, ctx: HandlerContext, accountId: string): Reply {
  const perPage = positive(req.query.get('per_page'), DEFAULT_PER_PAGE, ERRNO.invalidPerPage, 'per_page');
  const page = positive(req.query.get('page'), 1, ERRNO.invalidPage, 'page');
  const searches = [...req.query.entries()].flatMap(([name, value]) => {
    const match = /^search\[(\w+)\]$/.exec(name);
    return match ? [[match[1], value] as const] : [];
  });
  const filters: Array<(record: Parameters<typeof visState>[0] & { updatedAt: string }, resource: Fields) => boolean> = [];
  let visFilter: number | undefined;
  for (const [name, value] of searches) {
    if (name === 'updated_min' || name === 'updated_max') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalid(ERRNO.mappingErrorDate, spec.single, name, `Invalid date for ${name}, expected YYYY-MM-DD.`, value);
      filters.push(name === 'updated_min' ? (r) => updatedDay(r) >= value : (r) => updatedDay(r) <= value);
    } else if (name === 'vis_state') {
      if (!['0', '1', '2'].includes(value)) throw invalid(ERRNO.invalidValue, spec.single, 'vis_state', 'vis_state must be 0, 1 or 2.', value);
      visFilter = Number(value);
    } else if (spec.searches[name]) {
      const matches = spec.searches[name];
      filters.push((_r, resource) => matches(resource, value));
    }
  }
  const all: Fields[] = [];
  ctx.records.eachVisible(spec.collection, (record) => {
    const state = visState(record);
    if (visFilter === undefined ? state === 1 : state !== visFilter) return;
    const resource = spec.present({ ...record, fields: record.fields }, accountId);
    if (filters.every((f) => f(record, resource))) all.push(resource);
  });
  all.sort((a, b) => Number(a.id) - Number(b.id));
  const pages = Math.ceil(all.length / perPage);
  const items = all.slice((page - 1) * perPage, page * perPage);
  return { status: 200, body: { response: { result: { [spec.collection]: items, page, pages, per_page: perPage, total: all.length } } } };
}

function create(spec: ResourceSpec, req: SandboxRequest, ctx: HandlerContext, accountId: string): Reply {
  const values = writableValues(spec, payload(spec, req.body));
  const prepared = spec.prepare(values, { view: ctx.records, nowMs: ctx.clock.nowMs(), accountId });
  return single(spec, ctx.records.insert(spec.collection, { fields: prepared }), accountId);
}

/**
 * PUT updates only the keys it is given, in phases ("Active and Deleted Objects"): when vis_state
 * (or ext_vis_state) is present, only it is applied and every other key is dropped silently.
 */
function update(spec: ResourceSpec, req: SandboxRequest, ctx: HandlerContext, accountId: string): Reply {
  const current = found(spec, ctx, req.params.id);
  const given = payload(spec, req.body);
  if ('vis_state' in given || 'ext_vis_state' in given) {
    const state = Number(given.vis_state ?? visState(current));
    if (![0, 1, 2].includes(state)) throw invalid(ERRNO.invalidValue, spec.single, 'vis_state', 'vis_state must be 0, 1 or 2.', given.vis_state);
    if (state === 1) ctx.records.archive(spec.collection, current.id);
    else {
      ctx.records.unarchive(spec.collection, current.id);
      ctx.records.update(spec.collection, current.id, { vis_state: state });
    }
    return single(spec, ctx.records.latest(spec.collection, current.id)!, accountId);
  }
  if (current.archived) throw invalid(ERRNO.deletedResource, spec.single, spec.idField, 'The resource referred to in the request is deleted.', current.id);
  const merged = { ...current.fields, ...writableValues(spec, given) };
  const prepared = spec.prepare(merged, { view: ctx.records, nowMs: ctx.clock.nowMs(), accountId, selfId: current.id });
  return single(spec, ctx.records.update(spec.collection, current.id, prepared)!, accountId);
}

function payload(spec: ResourceSpec, body: unknown): Fields {
  const wrapped = typeof body === 'object' && body !== null ? (body as Fields)[spec.single] : undefined;
  if (typeof wrapped !== 'object' || wrapped === null || Array.isArray(wrapped)) {
    throw invalid(ERRNO.requiredField, spec.single, spec.single, `The body must be { "${spec.single}": { ... } }.`);
  }
  return wrapped as Fields;
}

/** The resource's writable keys; others (its own read-only ones, unknown ones) are ignored. */
function writableValues(spec: ResourceSpec, values: Fields): Fields {
  return Object.fromEntries(Object.entries(values).filter(([name]) => spec.writable.has(name)));
}

function positive(value: string | null, fallback: number, errno: number, field: string): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw fault(400, errno, `The '${field}' argument must be a positive integer.`, field, null, value);
  return field === 'per_page' ? Math.min(n, MAX_PER_PAGE) : n;
}

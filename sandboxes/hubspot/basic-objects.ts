import { json, keysetPage, ReplyError, type HandlerContext, type Reply, type Route, type SandboxRequest, type StoredRecord } from '../kit';
import { invalidPropertiesError } from './errors';
import { checkIdProperty, findRecord, objectFromPath, objectNotFound, uniqueConflict } from './lookup';
import type { ObjectCatalog } from './objects';
import { normaliseProperties, presentRecord, requestedProperties, validateProperties } from './properties';
import { asObject, definedOnly } from './request-body';

/** HubSpot's list page size: default 10, at most 100 (larger values are clamped). */
export const listLimits = { defaultPageSize: 10, maxPageSize: 100 };

/** The basic (one record per call) CRM object endpoints: list, read, create, update, archive. */
export function basicObjectRoutes(catalog: ObjectCatalog): Route[] {
  const base = '/crm/v3/objects/:objectType';
  return [
    { method: 'GET', path: base, handle: (req, ctx) => list(catalog, req, ctx) },
    { method: 'POST', path: base, handle: (req, ctx) => create(catalog, req, ctx) },
    { method: 'GET', path: `${base}/:id`, handle: (req, ctx) => read(catalog, req, ctx) },
    { method: 'PATCH', path: `${base}/:id`, handle: (req, ctx) => update(catalog, req, ctx) },
    { method: 'DELETE', path: `${base}/:id`, handle: (req, ctx) => archive(catalog, req, ctx) },
  ];
}

function list(catalog: ObjectCatalog, req: SandboxRequest, ctx: HandlerContext): Reply {
  const spec = objectFromPath(catalog, req.params.objectType, ctx.correlationId);
  const archived = req.query.get('archived') === 'true';
  const asked = Number.parseInt(req.query.get('limit') ?? '', 10);
  const limit = Number.isFinite(asked) && asked > 0 ? Math.min(asked, listLimits.maxPageSize) : listLimits.defaultPageSize;
  const records: StoredRecord[] = [];
  ctx.records.eachVisible(spec.name, (r) => { if (r.archived === archived) records.push(r as StoredRecord); });
  records.sort((a, b) => Number(a.id) - Number(b.id));
  const page = keysetPage(records, { after: req.query.get('after'), limit, keyOf: (r) => r.id });
  const properties = requestedProperties(req.query);
  const link = (after: string): string => {
    const next = new URL(`${ctx.baseUrl}${req.path}`);
    req.query.forEach((value, key) => key !== 'after' && next.searchParams.append(key, value));
    next.searchParams.set('after', after);
    return next.toString();
  };
  return json(200, {
    results: page.items.map((r) => presentRecord(spec, r, properties)),
    ...(page.next !== undefined ? { paging: { next: { after: page.next, link: link(page.next) } } } : {}),
  });
}

function read(catalog: ObjectCatalog, req: SandboxRequest, ctx: HandlerContext): Reply {
  const spec = objectFromPath(catalog, req.params.objectType, ctx.correlationId);
  const idProperty = checkIdProperty(catalog, spec, req.query.get('idProperty') ?? undefined, ctx.correlationId);
  const id = req.params.id ?? '';
  const record = findRecord(ctx.records, spec, id, { idProperty, archived: req.query.get('archived') === 'true', consistency: 'read' });
  if (!record) throw objectNotFound(id, ctx.correlationId);
  return json(200, presentRecord(spec, record, requestedProperties(req.query)));
}

function create(catalog: ObjectCatalog, req: SandboxRequest, ctx: HandlerContext): Reply {
  const spec = objectFromPath(catalog, req.params.objectType, ctx.correlationId);
  const given = asObject(req.body, ctx).properties;
  const raw = given && typeof given === 'object' && !Array.isArray(given) ? (given as Record<string, unknown>) : {};
  const problems = validateProperties(catalog, spec, raw);
  if (problems.length > 0) throw new ReplyError(invalidPropertiesError(ctx.correlationId, problems));
  const properties = normaliseProperties(spec, raw);
  const conflict = uniqueConflict(ctx.records, spec, [{ properties }], ctx.correlationId);
  if (conflict) throw conflict;
  const record = ctx.records.insert(spec.name, { fields: definedOnly(properties) });
  return json(201, presentRecord(spec, record, Object.keys(properties)));
}

function update(catalog: ObjectCatalog, req: SandboxRequest, ctx: HandlerContext): Reply {
  const spec = objectFromPath(catalog, req.params.objectType, ctx.correlationId);
  const idProperty = checkIdProperty(catalog, spec, req.query.get('idProperty') ?? undefined, ctx.correlationId);
  const given = asObject(req.body, ctx).properties;
  const raw = given && typeof given === 'object' && !Array.isArray(given) ? (given as Record<string, unknown>) : {};
  const problems = validateProperties(catalog, spec, raw);
  if (problems.length > 0) throw new ReplyError(invalidPropertiesError(ctx.correlationId, problems));
  const id = req.params.id ?? '';
  const record = findRecord(ctx.records, spec, id, { idProperty, archived: false, consistency: 'latest' });
  if (!record) throw objectNotFound(id, ctx.correlationId);
  const properties = normaliseProperties(spec, raw);
  const conflict = uniqueConflict(ctx.records, spec, [{ selfId: record.id, properties }], ctx.correlationId);
  if (conflict) throw conflict;
  const updated = ctx.records.update(spec.name, record.id, properties) ?? record;
  return json(200, presentRecord(spec, updated, Object.keys(properties)));
}

/** HubSpot answers 204 whether or not the record existed. */
function archive(catalog: ObjectCatalog, req: SandboxRequest, ctx: HandlerContext): Reply {
  const spec = objectFromPath(catalog, req.params.objectType, ctx.correlationId);
  ctx.records.archive(spec.name, req.params.id ?? '');
  return { status: 204 };
}

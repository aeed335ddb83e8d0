import { json, type HandlerContext, type Reply, type StoredRecord } from '../kit';
import { fail, fieldError, nonexistent } from './errors';
import { customerType, DELETED_RECORD, derivedFields, presentRest, recordType, validateBody, type RecordType } from './records';

/**
 * The REST record service v1 for one record: create (POST, 204 + Location), get, update (PATCH),
 * upsert by external id (PUT …/eid:{externalId}), delete. The same functions answer synchronous
 * requests and asynchronous jobs (async-jobs.ts), so both behave alike.
 * Pages: Creating a Record Instance (section_1545141395), Updating a Record Instance, Using the
 * Upsert Operation (section_156335203191), Deleting a Record Instance (section_1545142287), Using
 * External IDs (eid: in the URL).
 */
export interface RecordRequest {
  method: string;
  type: string;
  /** The id segment: an internal id, or eid:<externalId>; absent for POST. */
  id?: string;
  body: unknown;
  /** ?replace=item: sublists replaced instead of added to. */
  replace: string[];
  expand: boolean;
  fields?: string[];
}

export function typeOf(name: string): RecordType {
  const type = recordType(name);
  if (!type) fail(404, { detail: `Record type '${name}' does not exist or is not available through REST web services.`, code: 'NONEXISTENT_ID' });
  return type;
}

const EID = /^eid:(.+)$/;

/** The record an id segment names: by internal id, or by external id with eid:. `latest` reads the truth (write paths). */
export function findRecord(type: RecordType, idSegment: string, ctx: HandlerContext, latest: boolean): StoredRecord | undefined {
  const external = EID.exec(idSegment)?.[1];
  if (external === undefined) {
    const found = latest ? ctx.records.latest(type.object, idSegment) : ctx.records.read(type.object, idSegment);
    return found && !found.archived ? found : undefined;
  }
  const byExternal = (r: Readonly<StoredRecord>) => !r.archived && r.fields.externalId === external;
  return latest ? ctx.records.findLatest(type.object, byExternal) : ctx.records.find(type.object, byExternal);
}

function location(ctx: HandlerContext, type: RecordType, id: string): Record<string, string> {
  return { location: `${ctx.baseUrl}/services/rest/record/v1/${type.type}/${id}` };
}

function checkUniqueExternalId(type: RecordType, ctx: HandlerContext, externalId: unknown, exceptId?: string): void {
  if (typeof externalId !== 'string' || externalId === '') return;
  const taken = ctx.records.findLatest(type.object, (r) => !r.archived && r.id !== exceptId && r.fields.externalId === externalId);
  if (taken) fail(400, fieldError('externalId', `A ${type.type} record with external ID ${externalId} already exists.`, 'DUP_RCRD'));
}

const entityExists = (ctx: HandlerContext) => (id: string) => {
  const found = ctx.records.latest(customerType.object, id);
  return found !== undefined && !found.archived;
};

function create(type: RecordType, body: unknown, ctx: HandlerContext, externalId?: string): Reply {
  const fields = validateBody(type, body, { partial: false, replace: [], entityExists: entityExists(ctx) });
  if (externalId !== undefined) fields.externalId = externalId;
  checkUniqueExternalId(type, ctx, fields.externalId);
  const inserted = ctx.records.insert(type.object, { fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)) });
  return { status: 204, headers: location(ctx, type, inserted.id) };
}

function update(type: RecordType, current: StoredRecord, req: RecordRequest, ctx: HandlerContext): Reply {
  const fields = validateBody(type, req.body, { partial: true, replace: req.replace, current: current.fields, entityExists: entityExists(ctx) });
  checkUniqueExternalId(type, ctx, fields.externalId, current.id);
  // An emptied field is simply empty: NetSuite keeps no null apart from "not set".
  ctx.records.update(type.object, current.id, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === null ? undefined : v])));
  return { status: 204, headers: location(ctx, type, current.id) };
}

function remove(type: RecordType, current: StoredRecord, ctx: HandlerContext): Reply {
  ctx.records.remove(type.object, current.id);
  if (!ctx.records.latest(type.object, current.id)) {
    const derived = derivedFields(type, current.id, current.fields);
    ctx.records.insert(DELETED_RECORD, {
      fields: { recordId: current.id, type: type.deletedType, name: String(derived.entityId ?? derived.tranId), deletedDate: ctx.clock.nowIso() },
    });
  }
  return { status: 204 };
}

/** Runs one record request; validation and lookups answer NetSuite's own errors. */
export function executeRecordRequest(req: RecordRequest, ctx: HandlerContext): Reply {
  const type = typeOf(req.type);
  if (req.method === 'POST') return create(type, req.body, ctx);
  const idSegment = req.id ?? '';
  if (req.method === 'GET') {
    const found = findRecord(type, idSegment, ctx, false);
    if (!found) fail(404, nonexistent());
    return json(200, presentRest(type, found, ctx.baseUrl, { expand: req.expand, fields: req.fields }));
  }
  const current = findRecord(type, idSegment, ctx, true);
  if (req.method === 'PUT') {
    const external = EID.exec(idSegment)?.[1];
    if (external === undefined) {
      fail(400, { detail: 'The upsert operation requires an external ID in the request URL: use PUT /services/rest/record/v1/{type}/eid:{externalId}.', code: 'INVALID_ID' });
    }
    return current ? update(type, current, { ...req, body: withoutExternalId(req.body) }, ctx) : create(type, withoutExternalId(req.body), ctx, external);
  }
  if (!current) fail(404, nonexistent());
  return req.method === 'PATCH' ? update(type, current, req, ctx) : remove(type, current, ctx);
}

/** An upsert's external id is the one in the URL; the body may repeat it. */
function withoutExternalId(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const { externalId: _externalId, ...rest } = body as Record<string, unknown>;
  return rest;
}

/** GET /record/v1/{type}: the ids of every record, paged like every collection (limit ≤ 1000). */
export function listRecords(typeName: string, query: URLSearchParams, ctx: HandlerContext): Reply {
  const type = typeOf(typeName);
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 1000) || 1000, 1), 1000);
  const offset = Math.max(Number(query.get('offset') ?? 0) || 0, 0);
  const all = ctx.records.list(type.object).filter((r) => !r.archived);
  const page = all.slice(offset, offset + limit);
  const self = `${ctx.baseUrl}/services/rest/record/v1/${type.type}`;
  return json(200, {
    links: [{ rel: 'self', href: `${self}?limit=${limit}&offset=${offset}` },
      ...(offset + limit < all.length ? [{ rel: 'next', href: `${self}?limit=${limit}&offset=${offset + limit}` }] : [])],
    count: page.length, hasMore: offset + limit < all.length, offset, totalResults: all.length,
    items: page.map((r) => ({ links: [{ rel: 'self', href: `${self}/${r.id}` }], id: r.id })),
  });
}

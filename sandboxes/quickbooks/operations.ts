import type { HandlerContext, StoredRecord } from '../kit';
import { companyTime } from './company-time';
import { isLive, isObject, SYSTEM_PROPERTIES, type EntitySpec, type Fields } from './entities';
import { faults } from './errors';

/**
 * Create, update (full or sparse), delete and read, shared by the entity endpoints and batch
 * items. Every write bumps SyncToken; an update or delete naming another SyncToken is refused with
 * 5010 "Stale Object Error" ("Manage SyncToken" / sparse update, Accounting API docs).
 */
export function createEntity(ctx: HandlerContext, spec: EntitySpec, body: unknown): StoredRecord {
  const values = requestValues(spec, body);
  const prepared = spec.prepare(values, { view: ctx.records, nowMs: ctx.clock.nowMs() });
  const { Active, ...fields } = prepared;
  const inactive = spec.kind === 'name-list' && Active === false;
  return ctx.records.insert(spec.name, { fields: { ...fields, SyncToken: '0' }, archived: inactive });
}

export function updateEntity(ctx: HandlerContext, spec: EntitySpec, body: unknown): StoredRecord {
  const values = requestValues(spec, body);
  const current = currentFor(ctx, spec, body);
  const sparse = isObject(body) && body.sparse === true;
  const base: Fields = sparse ? withoutSystem(current.fields) : {};
  const activeNow = !current.archived;
  const merged: Fields = { ...base, ...(spec.kind === 'name-list' ? { Active: sparse ? activeNow : true } : {}), ...values };
  const prepared = spec.prepare(merged, { view: ctx.records, nowMs: ctx.clock.nowMs(), selfId: current.id });
  const { Active, ...fields } = prepared;
  const syncToken = String(Number(current.fields.SyncToken ?? '0') + 1);
  const replaced = Object.fromEntries(Object.keys(current.fields).filter((k) => !(k in fields)).map((k) => [k, undefined]));
  const updated = ctx.records.update(spec.name, current.id, { ...replaced, ...fields, SyncToken: syncToken })!;
  if (spec.kind !== 'name-list') return updated;
  const wantActive = Active !== false;
  // Making an entry inactive is QuickBooks' "delete" of a name list: it goes through the store's
  // archive, so a delete-lies fault answers as if it worked and keeps the entry active.
  if (!wantActive && activeNow) ctx.records.archive(spec.name, current.id);
  if (wantActive && !activeNow) ctx.records.unarchive(spec.name, current.id);
  return { ...updated, archived: !wantActive };
}

/** Invoice deletes (POST /invoice?operation=delete { Id, SyncToken }); name lists have none. */
export function deleteEntity(ctx: HandlerContext, spec: EntitySpec, body: unknown): Fields {
  if (spec.kind === 'name-list') throw faults.unsupportedOperation(`Operation Delete is not supported for ${spec.name}: make it inactive (Active=false) instead`);
  const current = currentFor(ctx, spec, body);
  ctx.records.archive(spec.name, current.id);
  return { status: 'Deleted', domain: 'QBO', Id: current.id };
}

/** GET /{entity}/{id}: inactive name-list entries are readable; deleted or unknown ids answer 610. */
export function readEntity(ctx: HandlerContext, spec: EntitySpec, id: string): StoredRecord {
  const record = ctx.records.read(spec.name, id);
  if (!record || (spec.kind === 'transaction' && !isLive(record))) throw faults.objectNotFound(`${spec.name} ${id}`);
  return record;
}

/** An entity as the API answers it. */
export function presentEntity(spec: EntitySpec, record: StoredRecord): Fields {
  const fields = { ...record.fields };
  if (spec.name === 'Invoice' && Array.isArray(fields.Line)) {
    const subtotal = (fields.Line as Fields[]).reduce((sum, line) => sum + Number(line.Amount ?? 0), 0);
    fields.Line = [...(fields.Line as Fields[]), { Amount: Math.round(subtotal * 100) / 100, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }];
  }
  return {
    ...fields,
    ...(spec.kind === 'name-list' ? { Active: !record.archived } : {}),
    domain: 'QBO',
    sparse: false,
    Id: record.id,
    SyncToken: String(record.fields.SyncToken ?? '0'),
    MetaData: { CreateTime: companyTime(Date.parse(record.createdAt)), LastUpdatedTime: companyTime(Date.parse(record.updatedAt)) },
  };
}

/** What CDC answers for a deleted transaction. */
export function tombstone(record: StoredRecord): Fields {
  return { domain: 'QBO', status: 'Deleted', Id: record.id, MetaData: { LastUpdatedTime: companyTime(Date.parse(record.archivedAt ?? record.updatedAt)) } };
}

/** The writable properties of a request body; unknown properties are refused by name (2010). */
function requestValues(spec: EntitySpec, body: unknown): Fields {
  if (!isObject(body)) throw faults.malformedRequest(`the ${spec.name} body must be a JSON object`);
  const values: Fields = {};
  for (const [name, value] of Object.entries(body)) {
    if (SYSTEM_PROPERTIES.has(name)) continue;
    if (!spec.writable.has(name)) throw faults.unsupportedProperty(name);
    values[name] = value;
  }
  return values;
}

/** The record an update or delete names, after checking its SyncToken against the current one. */
function currentFor(ctx: HandlerContext, spec: EntitySpec, body: unknown): StoredRecord {
  if (!isObject(body)) throw faults.malformedRequest(`the ${spec.name} body must be a JSON object`);
  const id = body.Id;
  if (id === undefined || id === null || id === '') throw faults.requiredParam('Id');
  if (body.SyncToken === undefined || body.SyncToken === null || body.SyncToken === '') throw faults.requiredParam('SyncToken');
  const current = ctx.records.latest(spec.name, String(id));
  if (!current || (spec.kind === 'transaction' && !isLive(current))) throw faults.objectNotFound(`${spec.name} ${String(id)}`);
  if (String(body.SyncToken) !== String(current.fields.SyncToken ?? '0')) throw faults.staleObject();
  return current;
}

function withoutSystem(fields: Fields): Fields {
  const copy = { ...fields };
  for (const name of SYSTEM_PROPERTIES) delete copy[name];
  return copy;
}

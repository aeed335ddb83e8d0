import { json, ReplyError, type HandlerContext, type Reply, type Route, type StoredRecord } from '../kit';
import { invalidPropertiesError, validationError, type PropertyProblem } from './errors';
import { checkIdProperty, findRecord, objectFromPath, uniqueConflict } from './lookup';
import type { ObjectCatalog, ObjectSpec } from './objects';
import { normaliseProperties, presentRecord, validateProperties, type HubspotRecord } from './properties';
import { asObject, definedOnly, optionalString, stringArray } from './request-body';

/** HubSpot's documented maximum number of inputs per CRM object batch call. */
export const maxBatchInputs = 100;

interface BatchInput {
  id?: string;
  idProperty?: string;
  properties: Record<string, unknown>;
}

/** POST /crm/v3/objects/{objectType}/batch/{read,create,update,upsert,archive}. */
export function batchRoutes(catalog: ObjectCatalog): Route[] {
  const base = '/crm/v3/objects/:objectType/batch';
  return [
    { method: 'POST', path: `${base}/read`, handle: (req, ctx) => batchRead(catalog, req.params.objectType, req.body, ctx) },
    { method: 'POST', path: `${base}/create`, handle: (req, ctx) => batchCreate(catalog, req.params.objectType, req.body, ctx) },
    { method: 'POST', path: `${base}/update`, handle: (req, ctx) => batchUpdate(catalog, req.params.objectType, req.body, ctx) },
    { method: 'POST', path: `${base}/upsert`, handle: (req, ctx) => batchUpsert(catalog, req.params.objectType, req.body, ctx) },
    { method: 'POST', path: `${base}/archive`, handle: (req, ctx) => batchArchive(catalog, req.params.objectType, req.body, ctx) },
  ];
}

function batchRead(catalog: ObjectCatalog, objectType: string | undefined, body: unknown, ctx: HandlerContext): Reply {
  const startedAt = ctx.clock.nowIso();
  const spec = objectFromPath(catalog, objectType, ctx.correlationId);
  const input = asObject(body, ctx);
  const inputs = readInputs(input, ctx, false);
  const idProperty = checkIdProperty(catalog, spec, optionalString(input.idProperty), ctx.correlationId);
  const properties = stringArray(input.properties);
  const archived = input.archived === true;
  const results: HubspotRecord[] = [];
  const missing: string[] = [];
  for (const { id } of inputs) {
    const record = findRecord(ctx.records, spec, id ?? '', { idProperty, archived, consistency: 'read' });
    if (record) results.push(presentRecord(spec, record, properties));
    else missing.push(id ?? '');
  }
  const errors = missing.length
    ? [notFoundError(`Could not get some ${spec.label} objects, they may be deleted or not exist. Check that ids are valid.`, missing)]
    : [];
  return batchResult(results, errors, startedAt, ctx, 200);
}

function batchCreate(catalog: ObjectCatalog, objectType: string | undefined, body: unknown, ctx: HandlerContext): Reply {
  const startedAt = ctx.clock.nowIso();
  const spec = objectFromPath(catalog, objectType, ctx.correlationId);
  const inputs = readInputs(asObject(body, ctx), ctx, true);
  rejectInvalid(catalog, spec, inputs, ctx);
  const writes = inputs.map((i) => ({ properties: normaliseProperties(spec, i.properties) }));
  const conflict = uniqueConflict(ctx.records, spec, writes, ctx.correlationId);
  if (conflict) throw conflict;
  const results = writes.map((w) => presentRecord(spec, ctx.records.insert(spec.name, { fields: definedOnly(w.properties) }), Object.keys(w.properties)));
  return batchResult(results, [], startedAt, ctx, 201);
}

function batchUpdate(catalog: ObjectCatalog, objectType: string | undefined, body: unknown, ctx: HandlerContext): Reply {
  const startedAt = ctx.clock.nowIso();
  const spec = objectFromPath(catalog, objectType, ctx.correlationId);
  const inputs = readInputs(asObject(body, ctx), ctx, true);
  rejectDuplicateIds(inputs, ctx);
  rejectInvalid(catalog, spec, inputs, ctx);
  const found: { record: StoredRecord; properties: Record<string, string | undefined> }[] = [];
  const missing: string[] = [];
  for (const input of inputs) {
    const idProperty = checkIdProperty(catalog, spec, input.idProperty, ctx.correlationId);
    const record = findRecord(ctx.records, spec, input.id ?? '', { idProperty, archived: false, consistency: 'latest' });
    if (record) found.push({ record, properties: normaliseProperties(spec, input.properties) });
    else missing.push(input.id ?? '');
  }
  const conflict = uniqueConflict(ctx.records, spec, found.map((f) => ({ selfId: f.record.id, properties: f.properties })), ctx.correlationId);
  if (conflict) throw conflict;
  const results = found.map(({ record, properties }) => {
    const updated = ctx.records.update(spec.name, record.id, properties) ?? record;
    return presentRecord(spec, updated, Object.keys(properties));
  });
  const errors = missing.length ? [notFoundError(`Could not update some ${spec.label} objects, they may be deleted or not exist. Check that ids are valid.`, missing)] : [];
  return batchResult(results, errors, startedAt, ctx, 200);
}

function batchUpsert(catalog: ObjectCatalog, objectType: string | undefined, body: unknown, ctx: HandlerContext): Reply {
  const startedAt = ctx.clock.nowIso();
  const spec = objectFromPath(catalog, objectType, ctx.correlationId);
  const inputs = readInputs(asObject(body, ctx), ctx, true);
  rejectDuplicateIds(inputs, ctx);
  rejectInvalid(catalog, spec, inputs, ctx);
  const plans = inputs.map((input) => {
    if (!input.idProperty || input.idProperty === 'hs_object_id') {
      throw new ReplyError(validationError(ctx.correlationId, 'Upsert requires an idProperty naming a property with unique values (hs_object_id is not accepted)', [
        { message: 'idProperty is required for upsert', code: 'INVALID_ID_PROPERTY', context: { propertyName: [input.idProperty ?? 'idProperty'] } },
      ]));
    }
    const idProperty = checkIdProperty(catalog, spec, input.idProperty, ctx.correlationId);
    const properties = normaliseProperties(spec, { ...input.properties, [idProperty]: input.id });
    const existing = findRecord(ctx.records, spec, input.id ?? '', { idProperty, archived: false, consistency: 'latest' });
    return { existing, properties };
  });
  const conflict = uniqueConflict(ctx.records, spec, plans.map((p) => ({ selfId: p.existing?.id, properties: p.properties })), ctx.correlationId);
  if (conflict) throw conflict;
  const results = plans.map(({ existing, properties }) => {
    const written = existing ? ctx.records.update(spec.name, existing.id, properties) ?? existing : ctx.records.insert(spec.name, { fields: definedOnly(properties) });
    return { ...presentRecord(spec, written, Object.keys(properties)), new: existing === undefined };
  });
  return batchResult(results, [], startedAt, ctx, 200);
}

function batchArchive(catalog: ObjectCatalog, objectType: string | undefined, body: unknown, ctx: HandlerContext): Reply {
  const spec = objectFromPath(catalog, objectType, ctx.correlationId);
  const inputs = readInputs(asObject(body, ctx), ctx, false);
  for (const { id } of inputs) ctx.records.archive(spec.name, id ?? '');
  return { status: 204 };
}

/** Every input's properties are checked first: one bad value refuses the whole batch. */
function rejectInvalid(catalog: ObjectCatalog, spec: ObjectSpec, inputs: BatchInput[], ctx: HandlerContext): void {
  const problems: PropertyProblem[] = inputs.flatMap((input) => validateProperties(catalog, spec, input.properties));
  if (problems.length > 0) throw new ReplyError(invalidPropertiesError(ctx.correlationId, problems));
}

function rejectDuplicateIds(inputs: BatchInput[], ctx: HandlerContext): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { id } of inputs) {
    if (id === undefined) continue;
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  if (duplicates.size > 0) throw new ReplyError(validationError(ctx.correlationId, `Duplicate IDs found in batch input: [${[...duplicates].join(', ')}]. IDs must be unique`));
}

function readInputs(body: Record<string, unknown>, ctx: HandlerContext, withProperties: boolean): BatchInput[] {
  const raw = body.inputs;
  if (!Array.isArray(raw)) {
    throw new ReplyError(validationError(ctx.correlationId, 'Invalid input JSON on line 1, column 1: Some required fields were not set: [inputs]'));
  }
  if (raw.length > maxBatchInputs) {
    throw new ReplyError(
      validationError(ctx.correlationId, `Too many inputs: ${raw.length}. The maximum number of inputs supported in a batch request is ${maxBatchInputs}.`, [
        { message: `inputs: size must be between 0 and ${maxBatchInputs}`, code: 'TOO_MANY_INPUTS', context: { inputs: [String(raw.length)] } },
      ]),
    );
  }
  return raw.map((item: unknown, index) => {
    const input = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
    const id = input.id === undefined || input.id === null ? undefined : String(input.id);
    const properties = input.properties;
    if (withProperties && (properties === null || typeof properties !== 'object' || Array.isArray(properties))) {
      throw new ReplyError(validationError(ctx.correlationId, `Invalid input JSON: inputs[${index}].properties is required and must be an object`));
    }
    if (!withProperties && id === undefined) throw new ReplyError(validationError(ctx.correlationId, `Invalid input JSON: inputs[${index}].id is required`));
    return { id, idProperty: optionalString(input.idProperty), properties: (properties ?? {}) as Record<string, unknown> };
  });
}

function batchResult(results: unknown[], errors: unknown[], startedAt: string, ctx: HandlerContext, okStatus: number): Reply {
  const completedAt = ctx.clock.nowIso();
  if (errors.length === 0) return json(okStatus, { status: 'COMPLETE', results, startedAt, completedAt });
  return json(207, { status: 'COMPLETE', results, numErrors: errors.length, errors, startedAt, completedAt });
}

function notFoundError(message: string, ids: string[]): Record<string, unknown> {
  return { status: 'error', category: 'OBJECT_NOT_FOUND', message, context: { ids }, links: {} };
}

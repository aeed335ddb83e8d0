import type { HandlerContext, Reply, Route, SandboxRequest } from '../kit';
import type { ChangeEventBus, ChangeTransaction } from './change-events';
import { fail, type RecordError } from './errors';
import { isSalesforceId, toId18 } from './ids';
import { presentRecord } from './records';
import { asObject, checkVersion, listParam, sobjectFromPath } from './request';
import { findSObject, sobjectOfId, fieldOf, type SObjectSpec } from './schema';
import { checkWrite, findByExternalId, unknownFields } from './validation';
import { COLLECTION_LIMIT, RETRIEVE_LIMIT } from './version';

/**
 * sObject Collections (REST API Developer Guide, "sObject Collections"): create (POST), update by Id
 * (PATCH), upsert by an External ID field (PATCH .../{SObject}/{Field}), delete (DELETE ?ids=) and
 * retrieve (GET .../{SObject}?ids=&fields=). Writes answer one result per record, in order:
 * { id, success, errors: [{ statusCode, message, fields }] } (+ created for upserts).
 */
interface SaveResult {
  id?: string;
  success: boolean;
  errors: RecordError[];
  created?: boolean;
}

const base = '/services/data/:version/composite/sobjects';

/** Every write publishes its change events (change-events.ts) once the request has committed. */
export function collectionRoutes(changes: ChangeEventBus): Route[] {
  const committing = (handler: (req: SandboxRequest, ctx: HandlerContext, tx: ChangeTransaction) => Reply) => changes.committing('rest', handler);
  return [
    { method: 'POST', path: base, handle: committing((req, ctx, tx) => write(req, ctx, tx, 'create')) },
    { method: 'PATCH', path: base, handle: committing((req, ctx, tx) => write(req, ctx, tx, 'update')) },
    { method: 'PATCH', path: `${base}/:sobject/:field`, handle: committing((req, ctx, tx) => write(req, ctx, tx, 'upsert')) },
    { method: 'DELETE', path: base, handle: committing(remove) },
    { method: 'GET', path: `${base}/:sobject`, handle: (req, ctx) => retrieve(req, ctx) },
  ];
}

type WriteKind = 'create' | 'update' | 'upsert';

interface WriteInput {
  spec: SObjectSpec;
  record: Record<string, unknown>;
}

function write(req: SandboxRequest, ctx: HandlerContext, tx: ChangeTransaction, kind: WriteKind): Reply {
  checkVersion(req);
  const body = asObject(req.body);
  const records = Array.isArray(body.records) ? (body.records as unknown[]) : fail(400, 'JSON_PARSER_ERROR', 'records is required and must be an array');
  if (records.length > COLLECTION_LIMIT) fail(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`);
  const target = kind === 'upsert' ? sobjectFromPath(req.params.sobject) : undefined;
  const externalField = target ? externalIdField(target, req.params.field ?? '') : undefined;
  const inputs = records.map((r) => typedInput(asObject(r), target));
  for (const { spec, record } of inputs) {
    const unknown = unknownFields(spec, record);
    if (unknown.length > 0) fail(400, 'INVALID_FIELD', `No such column '${unknown[0]}' on sobject of type ${spec.name}`);
  }
  const allOrNone = body.allOrNone === true || body.allOrNone === 'true';
  const apply = (dryRun: boolean): SaveResult[] => inputs.map((input) => {
    if (kind === 'create') return create(ctx, tx, input, dryRun);
    if (kind === 'update') return update(ctx, tx, input, dryRun);
    return upsert(ctx, tx, input, externalField!, dryRun);
  });
  if (allOrNone) {
    const trial = apply(true);
    if (trial.some((r) => !r.success)) return { status: 200, body: trial.map(rolledBack) };
  }
  return { status: 200, body: apply(false) };
}

function typedInput(record: Record<string, unknown>, target: SObjectSpec | undefined): WriteInput {
  const attributes = record.attributes as { type?: unknown } | undefined;
  const type = typeof attributes?.type === 'string' ? attributes.type : undefined;
  const spec = findSObject(type) ?? target;
  if (!spec) fail(400, 'INVALID_TYPE', type ? `sObject type '${type}' is not supported.` : 'Must send a concrete entity type.');
  if (target && spec.name !== target.name) fail(400, 'INVALID_TYPE', `Record type ${spec.name} does not match the sObject type ${target.name} of the request`);
  return { spec, record };
}

function externalIdField(spec: SObjectSpec, name: string): string {
  const field = fieldOf(spec, name);
  if (!field) fail(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`);
  if (!field.externalId && field.name !== 'Id') fail(400, 'INVALID_FIELD', `Field ${field.name} is not an External ID or Id field`);
  return field.name;
}

function create(ctx: HandlerContext, tx: ChangeTransaction, { spec, record }: WriteInput, dryRun: boolean): SaveResult {
  const checked = checkWrite(ctx.records, spec, record, 'create');
  if (!checked.ok) return { success: false, errors: checked.errors };
  if (dryRun) return { success: true, errors: [] };
  const stored = ctx.records.insert(spec.name, { fields: withoutNulls(checked.fields) });
  tx.created(spec, stored);
  return { id: stored.id, success: true, errors: [] };
}

function update(ctx: HandlerContext, tx: ChangeTransaction, { spec, record }: WriteInput, dryRun: boolean): SaveResult {
  const rawId = typeof record.Id === 'string' ? record.Id : '';
  if (rawId === '') return { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] };
  if (!isSalesforceId(rawId) || !rawId.startsWith(spec.keyPrefix)) {
    return { success: false, errors: [{ statusCode: 'MALFORMED_ID', message: `Record ID: id value of incorrect type: ${rawId}`, fields: ['Id'] }] };
  }
  const id = toId18(rawId);
  const current = ctx.records.latest(spec.name, id);
  if (!current) return { success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] }] };
  if (current.archived) return { id, success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] };
  const checked = checkWrite(ctx.records, spec, record, 'update', current);
  if (!checked.ok) return { id, success: false, errors: checked.errors };
  if (!dryRun) {
    const updated = ctx.records.update(spec.name, id, nullsAsRemovals(checked.fields));
    if (updated) tx.updated(spec, current, updated);
  }
  return { id, success: true, errors: [] };
}

function upsert(ctx: HandlerContext, tx: ChangeTransaction, input: WriteInput, field: string, dryRun: boolean): SaveResult {
  const value = input.record[field];
  if (field === 'Id') {
    if (typeof value === 'string' && value !== '') return { ...update(ctx, tx, input, dryRun), created: false };
    return { ...create(ctx, tx, input, dryRun), created: true };
  }
  if (value === undefined || value === null || value === '') {
    return { success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: `${field} not specified`, fields: [field] }] };
  }
  const existing = findByExternalId(ctx.records, input.spec, field, String(value));
  if (!existing) return { ...create(ctx, tx, input, dryRun), created: true };
  return { ...update(ctx, tx, { ...input, record: { ...input.record, Id: existing.id } }, dryRun), created: false };
}

function rolledBack(result: SaveResult): SaveResult {
  if (!result.success) return result;
  return {
    ...(result.id ? { id: result.id } : {}),
    success: false,
    errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }],
  };
}

/** DELETE ?ids=...&allOrNone=: deleted records go to the recycle bin (IsDeleted true). */
function remove(req: SandboxRequest, ctx: HandlerContext, tx: ChangeTransaction): Reply {
  checkVersion(req);
  const ids = listParam(req, 'ids');
  if (ids.length === 0) fail(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > COLLECTION_LIMIT) fail(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`);
  const results: SaveResult[] = ids.map((raw) => {
    const spec = isSalesforceId(raw) ? sobjectOfId(raw) : undefined;
    if (!spec) return { id: raw, success: false, errors: [{ statusCode: 'MALFORMED_ID', message: `malformed id ${raw}`, fields: [] }] };
    const id = toId18(raw);
    const current = ctx.records.latest(spec.name, id);
    if (!current) return { id, success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] }] };
    if (current.archived) return { id, success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] };
    ctx.records.archive(spec.name, id);
    tx.deleted(spec, id);
    return { id, success: true, errors: [] };
  });
  return { status: 200, body: results };
}

/** GET .../{SObject}?ids=&fields=: one entry per id, in order; null for missing or deleted records. */
function retrieve(req: SandboxRequest, ctx: HandlerContext): Reply {
  checkVersion(req);
  const spec = sobjectFromPath(req.params.sobject);
  const ids = listParam(req, 'ids');
  const fields = listParam(req, 'fields');
  if (ids.length === 0 || fields.length === 0) fail(400, 'MISSING_ARGUMENT', 'ids and fields parameters are required');
  if (ids.length > RETRIEVE_LIMIT) fail(400, 'EXCEEDED_ID_LIMIT', `cannot retrieve more than ${RETRIEVE_LIMIT} records in one call`);
  const unknown = fields.filter((f) => !fieldOf(spec, f));
  if (unknown.length > 0) fail(400, 'INVALID_FIELD', `No such column '${unknown[0]}' on entity '${spec.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`);
  const body = ids.map((raw) => {
    if (!isSalesforceId(raw)) return null;
    const record = ctx.records.read(spec.name, toId18(raw));
    return record && !record.archived ? presentRecord(spec, record, fields) : null;
  });
  return { status: 200, body };
}

function withoutNulls(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
}

/** An update's null clears the field (the store drops fields patched with undefined). */
function nullsAsRemovals(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === null ? undefined : v]));
}

import type { HandlerContext, NewRecord, StoredRecord } from '../kit';
import { fail, skipped, type Reason } from './errors';
import { companyFields, invalidValue, leadFields, type MarketoField } from './fields';

export const LEADS = 'leads';
export const COMPANIES = 'companies';
export const ACTIVITIES = 'activities';

/** Activity types (GET /rest/v1/activities/types.json of a default instance). */
export const NEW_LEAD = 12;
export const CHANGE_DATA_VALUE = 13;
export const DELETE_LEAD = 37;

/** Records per sync, read (filterValues) and delete call. */
export const BATCH_LIMIT = 300;

export type Action = 'createOnly' | 'updateOnly' | 'createOrUpdate';

export interface Kind {
  object: typeof LEADS | typeof COMPANIES;
  noun: 'Lead' | 'Company';
  fields: MarketoField[];
}

export const leadKind: Kind = { object: LEADS, noun: 'Lead', fields: leadFields };
export const companyKind: Kind = { object: COMPANIES, noun: 'Company', fields: companyFields };

/** Marketo's date-time form: ISO 8601 in UTC, whole seconds ("2025-03-01T10:00:00Z"). */
export function marketoTime(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

export function present(kind: Kind, record: StoredRecord, only?: string[]): Record<string, unknown> {
  const all: Record<string, unknown> = { id: Number(record.id) };
  for (const f of kind.fields) if (!f.readOnly) all[f.name] = record.fields[f.name] ?? null;
  all.createdAt = marketoTime(record.createdAt);
  all.updatedAt = marketoTime(record.updatedAt);
  if (!only) return all;
  return Object.fromEntries(['id', ...only.filter((f) => f !== 'id')].map((f) => [f, all[f] ?? null]));
}

/** Comma-separated query values (`filterValues=a,b`, `fields=a,b`). */
export function listParam(value: string | null): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

/** The requested fields, or a response-level 1006 for one the instance does not have. */
export function checkFields(kind: Kind, names: string[]): string[] {
  const unknown = names.find((n) => !kind.fields.some((f) => f.name === n));
  if (unknown) fail('1006', `Field '${unknown}' not found`);
  return names;
}

/** Live records whose `field` is one of `values` (case-insensitive, as Marketo's lookups are). */
export function findBy(ctx: HandlerContext, kind: Kind, field: string, values: string[], consistency: 'read' | 'latest'): StoredRecord[] {
  const wanted = new Set(values.map((v) => v.toLowerCase()));
  const all = consistency === 'read' ? ctx.records.list(kind.object) : ctx.records.latestAll(kind.object);
  return all.filter((r) => wanted.has(String(field === 'id' ? r.id : r.fields[field] ?? '').toLowerCase()));
}

/** The writable values of an input record, or the reason Marketo skips it (1006 unknown field, 1003 invalid value). */
export function inputValues(kind: Kind, input: Record<string, unknown>): { values: Record<string, unknown> } | { reason: Reason } {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const field = kind.fields.find((f) => f.name === name);
    if (!field) return { reason: { code: '1006', message: `Field '${name}' not found` } };
    if (field.readOnly) continue;
    const problem = invalidValue(field, value);
    if (problem) return { reason: { code: '1003', message: problem } };
    values[name] = field.type === 'integer' && value !== null && value !== '' ? Number(value) : field.type === 'email' && typeof value === 'string' ? value.toLowerCase() : value;
  }
  return { values };
}

export interface SyncOutcome {
  result: Record<string, unknown>;
  record?: StoredRecord;
  previous?: StoredRecord;
}

/**
 * One input record of a sync: found by its lookup value, then created, updated or skipped as the
 * action says (1003 lookup value missing, 1004 not found, 1005 already exists, 1007 several match).
 */
export function syncOne(ctx: HandlerContext, kind: Kind, action: Action, lookupField: string, input: Record<string, unknown>): SyncOutcome {
  const lookupValue = input[lookupField];
  if (lookupValue === undefined || lookupValue === null || lookupValue === '') {
    return { result: skipped({ code: '1003', message: `Value for requied field '${lookupField}' not specified` }) };
  }
  const matches = findBy(ctx, kind, lookupField, [String(lookupValue)], 'latest');
  if (matches.length > 1) return { result: skipped({ code: '1007', message: `Multiple ${kind.noun.toLowerCase()}s match the lookup criteria` }) };
  const existing = matches[0];
  if (existing && action === 'createOnly') return { result: skipped({ code: '1005', message: `${kind.noun} already exists` }, { id: Number(existing.id) }) };
  if (!existing && action === 'updateOnly') return { result: skipped({ code: '1004', message: `${kind.noun} not found` }) };
  if (!existing && lookupField === 'id') return { result: skipped({ code: '1004', message: `${kind.noun} not found` }) };
  const checked = inputValues(kind, input);
  if ('reason' in checked) return { result: skipped(checked.reason, existing ? { id: Number(existing.id) } : {}) };
  if (existing) {
    const record = ctx.records.update(kind.object, existing.id, checked.values)!;
    return { result: { id: Number(record.id), status: 'updated' }, record, previous: existing };
  }
  const record = ctx.records.insert(kind.object, { fields: checked.values });
  return { result: { id: Number(record.id), status: 'created' }, record };
}

/** Seeds take the API's own field names; `createdAt`/`updatedAt` as ISO. */
export function seedRecord(kind: Kind, input: Record<string, unknown>): NewRecord {
  const { id, createdAt, updatedAt, ...fields } = input;
  return {
    ...(id !== undefined ? { id: String(id) } : {}),
    ...(typeof createdAt === 'string' ? { createdAt: new Date(createdAt).toISOString() } : {}),
    ...(typeof updatedAt === 'string' ? { updatedAt: new Date(updatedAt).toISOString() } : {}),
    fields: Object.fromEntries(kind.fields.filter((f) => !f.readOnly).map((f) => [f.name, f.type === 'email' && typeof fields[f.name] === 'string' ? (fields[f.name] as string).toLowerCase() : fields[f.name] ?? null])),
  };
}

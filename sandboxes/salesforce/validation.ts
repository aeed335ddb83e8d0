import type { RecordView, StoredRecord } from '../kit';
import type { RecordError } from './errors';
import { fieldOf, type SObjectSpec } from './schema';
import { normaliseValue } from './values';

/**
 * The checks a write goes through, as Salesforce reports them per record (sObject Collections with
 * allOrNone false): field-level security on system fields, required fields, value types, restricted
 * picklists, email format, unique External IDs, and one validation rule (Opportunity.Probability).
 */
export type WriteMode = 'create' | 'update';

export type Checked = { ok: true; fields: Record<string, unknown> } | { ok: false; errors: RecordError[] };

/** Names of fields the input carries that the object does not have (a whole-request INVALID_FIELD). */
export function unknownFields(spec: SObjectSpec, input: Record<string, unknown>): string[] {
  return Object.keys(input).filter((name) => name !== 'attributes' && !fieldOf(spec, name));
}

export function checkWrite(records: RecordView, spec: SObjectSpec, input: Record<string, unknown>, mode: WriteMode, current?: StoredRecord): Checked {
  const errors: RecordError[] = [];
  const fields: Record<string, unknown> = {};
  const locked: string[] = [];
  for (const [name, value] of Object.entries(input)) {
    if (name === 'attributes' || (name === 'Id' && mode === 'update')) continue;
    const field = fieldOf(spec, name);
    if (!field) continue;
    if (field.system) {
      locked.push(field.name);
      continue;
    }
    const normalised = normaliseValue(field, value);
    if (!normalised.ok) errors.push({ statusCode: normalised.statusCode, message: normalised.message, fields: [field.name] });
    else fields[field.name] = normalised.value;
  }
  if (locked.length > 0) {
    errors.push({
      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: `Unable to create/update fields: ${locked.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields: locked,
    });
  }
  if (errors.length > 0) return { ok: false, errors };

  const after = { ...(current?.fields ?? {}), ...fields };
  const missing = spec.fields.filter((f) => f.required && (after[f.name] === undefined || after[f.name] === null)).map((f) => f.name);
  if (missing.length > 0) return { ok: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${missing.join(', ')}]`, fields: missing }] };

  const rule = validationRules(spec, after);
  if (rule) return { ok: false, errors: [rule] };

  const duplicate = duplicateExternalId(records, spec, fields, current?.id);
  if (duplicate) return { ok: false, errors: [duplicate] };
  return { ok: true, fields };
}

/** The sandbox's one validation rule (a custom one, as an org would define it). */
function validationRules(spec: SObjectSpec, after: Record<string, unknown>): RecordError | undefined {
  const probability = after.Probability;
  if (spec.name === 'Opportunity' && typeof probability === 'number' && (probability < 0 || probability > 100)) {
    return { statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Probability must be between 0 and 100', fields: ['Probability'] };
  }
  return undefined;
}

/** External ID fields are unique (case-insensitive) among live records. */
export function duplicateExternalId(records: RecordView, spec: SObjectSpec, fields: Record<string, unknown>, ownId?: string): RecordError | undefined {
  for (const field of spec.fields.filter((f) => f.externalId)) {
    const value = fields[field.name];
    if (value === undefined || value === null) continue;
    const other = findByExternalId(records, spec, field.name, String(value));
    if (other && other.id !== ownId) {
      return { statusCode: 'DUPLICATE_VALUE', message: `duplicate value found: ${field.name} duplicates value on record with id: ${other.id}`, fields: [field.name] };
    }
  }
  return undefined;
}

/** The live record whose External ID field holds `value` (case-insensitive). */
export function findByExternalId(records: RecordView, spec: SObjectSpec, field: string, value: string): StoredRecord | undefined {
  const wanted = value.toLowerCase();
  return records.latestAll(spec.name).find((r) => !r.archived && typeof r.fields[field] === 'string' && (r.fields[field] as string).toLowerCase() === wanted);
}

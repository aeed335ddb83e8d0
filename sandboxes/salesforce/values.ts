import type { FieldSpec } from './schema';
import { isSalesforceId, toId18 } from './ids';

/**
 * Field values as Salesforce keeps and answers them: numbers as JSON numbers, booleans as booleans,
 * dates as YYYY-MM-DD, date-times at whole seconds as 2024-03-01T09:00:00.000+0000.
 */

/** A date-time as Salesforce answers it (whole seconds, +0000). */
export function salesforceDateTime(iso: string | number | Date): string {
  const ms = Math.floor(new Date(iso).getTime() / 1000) * 1000;
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Epoch ms of a Salesforce date-time literal or an ISO string; NaN when it is neither. */
export function parseDateTime(value: string): number {
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(normalised) ? Date.parse(normalised) : Number.NaN;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type Normalised = { ok: true; value: unknown } | { ok: false; statusCode: string; message: string };

/** Checks and converts one value written to a field; null and '' clear it. */
export function normaliseValue(field: FieldSpec, value: unknown): Normalised {
  if (value === null || value === '') return { ok: true, value: null };
  const bad = (statusCode: string, message: string): Normalised => ({ ok: false, statusCode, message: `${field.label}: ${message}` });
  switch (field.type) {
    case 'double':
    case 'currency':
    case 'int': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n) || (field.type === 'int' && !Number.isInteger(n))) return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `value not of required type: ${String(value)}`);
      return { ok: true, value: n };
    }
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
      return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `value not of required type: ${String(value)}`);
    case 'date': {
      const text = String(value);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `value not of required type: ${text}`);
      return { ok: true, value: text };
    }
    case 'datetime': {
      const ms = parseDateTime(String(value));
      if (Number.isNaN(ms)) return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `value not of required type: ${String(value)}`);
      return { ok: true, value: salesforceDateTime(ms) };
    }
    case 'email':
      if (typeof value !== 'string' || !EMAIL.test(value.trim())) return bad('INVALID_EMAIL_ADDRESS', `invalid email address: ${String(value)}`);
      return { ok: true, value: value.trim() };
    case 'picklist':
      if (typeof value !== 'string' || !(field.values ?? []).includes(value)) return bad('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `bad value for restricted picklist field: ${String(value)}`);
      return { ok: true, value };
    case 'reference':
    case 'id':
      if (typeof value !== 'string' || !isSalesforceId(value)) return bad('MALFORMED_ID', `id value of incorrect type: ${String(value)}`);
      return { ok: true, value: toId18(value) };
    default:
      if (typeof value === 'object') return bad('INVALID_TYPE_ON_FIELD_IN_RECORD', `value not of required type: ${JSON.stringify(value)}`);
      return { ok: true, value: String(value) };
  }
}

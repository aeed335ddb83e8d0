import type { StoredRecord } from '../kit';
import { API_VERSION } from './version';
import { fieldOf, SANDBOX_USER_ID, type SObjectSpec } from './schema';
import { salesforceDateTime } from './values';

/** A record as the REST API answers it: attributes, then the asked-for fields (null when empty). */
export type SalesforceRecord = { attributes: { type: string; url: string } } & Record<string, unknown>;

/** The value of any field of a stored record, system fields included (canonical names). */
export function fieldValue(spec: SObjectSpec, record: StoredRecord, name: string): unknown {
  switch (name) {
    case 'Id':
      return record.id;
    case 'IsDeleted':
      return record.archived;
    case 'CreatedDate':
      return salesforceDateTime(record.createdAt);
    case 'LastModifiedDate':
    case 'SystemModstamp':
      return salesforceDateTime(record.updatedAt);
    case 'CreatedById':
    case 'LastModifiedById':
      return SANDBOX_USER_ID;
    default:
      return fieldOf(spec, name) ? record.fields[name] ?? null : undefined;
  }
}

export function presentRecord(spec: SObjectSpec, record: StoredRecord, fields?: string[]): SalesforceRecord {
  const names = fields ?? spec.fields.map((f) => f.name);
  const out: SalesforceRecord = { attributes: { type: spec.name, url: `/services/data/v${API_VERSION}/sobjects/${spec.name}/${record.id}` } };
  for (const requested of ['Id', ...names]) {
    const field = fieldOf(spec, requested);
    if (field) out[field.name] = fieldValue(spec, record, field.name);
  }
  return out;
}

/** GET /__sandbox/state: every field, deleted records too (IsDeleted true, in the recycle bin). */
export function presentForAdmin(spec: SObjectSpec, record: StoredRecord): SalesforceRecord {
  return { ...presentRecord(spec, record), ...(record.archivedAt ? { DeletedDate: salesforceDateTime(record.archivedAt) } : {}) };
}

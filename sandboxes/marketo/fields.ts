/**
 * The lead and company fields this sandbox knows (a documented subset of an instance's Describe
 * Leads / Describe Companies), their types, and which ones the instance sets.
 */
export type FieldType = 'integer' | 'string' | 'email' | 'datetime' | 'phone' | 'url';

export interface MarketoField {
  name: string;
  type: FieldType;
  readOnly?: boolean;
}

export const leadFields: MarketoField[] = [
  { name: 'id', type: 'integer', readOnly: true },
  { name: 'email', type: 'email' },
  { name: 'firstName', type: 'string' },
  { name: 'lastName', type: 'string' },
  { name: 'company', type: 'string' },
  { name: 'title', type: 'string' },
  { name: 'phone', type: 'phone' },
  { name: 'numberOfEmployees', type: 'integer' },
  { name: 'leadSource', type: 'string' },
  { name: 'externalCompanyId', type: 'string' },
  { name: 'createdAt', type: 'datetime', readOnly: true },
  { name: 'updatedAt', type: 'datetime', readOnly: true },
];

/** Lookup fields for leads (searchable fields of a default instance that the sandbox supports). */
export const leadLookupFields = ['id', 'email'];
/** Returned when a read names no `fields` (Marketo's default set). */
export const defaultLeadFields = ['id', 'email', 'firstName', 'lastName', 'updatedAt', 'createdAt'];

export const companyFields: MarketoField[] = [
  { name: 'id', type: 'integer', readOnly: true },
  { name: 'externalCompanyId', type: 'string' },
  { name: 'company', type: 'string' },
  { name: 'website', type: 'url' },
  { name: 'industry', type: 'string' },
  { name: 'numberOfEmployees', type: 'integer' },
  { name: 'billingCity', type: 'string' },
  { name: 'billingCountry', type: 'string' },
  { name: 'createdAt', type: 'datetime', readOnly: true },
  { name: 'updatedAt', type: 'datetime', readOnly: true },
];
export const defaultCompanyFields = ['id', 'externalCompanyId', 'company', 'updatedAt', 'createdAt'];

/** A value's problem for its field, in the sandbox's wording of reason 1003, or undefined. */
export function invalidValue(field: MarketoField, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const bad = `Invalid value for field '${field.name}'`;
  if (field.type === 'integer') return Number.isInteger(typeof value === 'string' ? Number(value) : value) && String(value).trim() !== '' ? undefined : bad;
  if (field.type === 'email') return typeof value === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) ? undefined : bad;
  return typeof value === 'string' || typeof value === 'number' ? undefined : bad;
}

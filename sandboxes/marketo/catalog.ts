import type { CatalogDifferences, CatalogObject } from '../kit';
import { companyFields, leadFields } from './fields';

export const marketoCatalog: CatalogObject[] = [
  { name: 'leads', fields: leadFields.map((f) => ({ name: f.name, ...(f.readOnly ? { readOnly: true } : {}) })) },
  { name: 'companies', fields: companyFields.map((f) => ({ name: f.name, ...(f.readOnly ? { readOnly: true } : {}) })) },
  { name: 'activities', fields: ['id', 'leadId', 'activityDate', 'activityTypeId', 'marketoGUID', 'fields', 'attributes', 'primaryAttributeValue'].map((name) => ({ name, readOnly: true })) },
];

export const marketoCatalogDifferences: CatalogDifferences = {
  sandboxOnlyObjects: { activities: 'the activity log capture reads (New Lead, Change Data Value, Delete Lead), not an object loads write' },
};

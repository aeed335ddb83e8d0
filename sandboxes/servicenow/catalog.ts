import { readOnlyField, unmapped, type CatalogDifferences, type CatalogObject } from '../kit';
import { SYSTEM_STAMPS, tables } from './dictionary';

/** Every table as the Table API shows its records: client fields, then what the instance sets. */
export const servicenowCatalog: CatalogObject[] = tables.map((t) => ({
  name: t.name,
  fields: [
    ...Object.keys(t.fields).map((name) => ({ name })),
    ...Object.keys(t.generated ?? {}).map(readOnlyField),
    ...SYSTEM_STAMPS.map(readOnlyField),
  ],
}));

export const servicenowCatalogDifferences: CatalogDifferences = {
  sandboxOnlyObjects: { sys_audit_delete: 'Audit Deleted Records: where the source reads deletes from, not an object loads write' },
  sandboxOnlyFields: {
    incident: unmapped('subcategory', 'assigned_to', 'correlation_display', 'contact_type', 'close_code', 'close_notes'),
    sys_user: unmapped('mobile_phone', 'department', 'employee_number', 'time_zone'),
  },
};

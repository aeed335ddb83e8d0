import { readOnlyField, type CatalogDifferences, type CatalogObject } from '../kit';
import { intacctObjects, SYSTEM_FIELDS } from './objects';

/** CUSTOMER and VENDOR as read answers them: what a client writes, then what Intacct sets. */
export const sageIntacctCatalog: CatalogObject[] = intacctObjects.map((o) => ({
  name: o.name,
  fields: [...Object.keys(o.fields).map((name) => ({ name })), ...SYSTEM_FIELDS.map(readOnlyField)],
}));

export const sageIntacctCatalogDifferences: CatalogDifferences = {
  sandboxOnlyObjects: { AUDITHISTORY: 'the audit trail: where the source reads deletes from, not an object loads write' },
};

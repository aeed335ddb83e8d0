import { readOnlyField, unmapped, type CatalogDifferences, type CatalogObject } from '../kit';
import { STAMPS, x3Classes } from './classes';

/** Each class as its representation shows it: the properties, then the stamps X3 sets. */
export const sageX3Catalog: CatalogObject[] = x3Classes.map((c) => ({
  name: c.name,
  fields: [...c.properties.map((name) => ({ name })), ...STAMPS.map(readOnlyField)],
}));

export const sageX3CatalogDifferences: CatalogDifferences = {
  sandboxOnlyFields: { BPCUSTOMER: unmapped('BPCSTA'), ITMMASTER: unmapped('ITMSTA') },
};

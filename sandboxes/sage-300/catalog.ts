import { readOnlyField, unmapped, type CatalogDifferences, type CatalogObject } from '../kit';
import { resources, STAMP } from './resources';

/** Each resource as the Web API shows its entities: its properties, then the maintenance date. */
export const sage300Catalog: CatalogObject[] = resources.map((r) => ({
  name: r.name,
  fields: [...Object.keys(r.properties).map((name) => ({ name })), readOnlyField(STAMP)],
}));

export const sage300CatalogDifferences: CatalogDifferences = {
  sandboxOnlyFields: {
    ARCustomers: unmapped('AddressLine1', 'City'),
    ICItems: unmapped('AllowOnWeb'),
  },
};

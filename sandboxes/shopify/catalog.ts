import { nestedField, readOnlyField, unmapped, type CatalogDifferences, type CatalogObject } from '../kit';

/** Products, customers and deletion events as the Admin GraphQL API names their fields (2026-07). */
export const shopifyCatalog: CatalogObject[] = [
  {
    name: 'products',
    fields: [
      readOnlyField('id'), { name: 'title' }, { name: 'handle' }, { name: 'descriptionHtml' }, { name: 'vendor' },
      { name: 'productType' }, { name: 'status' }, { name: 'tags' }, nestedField('options'), nestedField('variants'),
      readOnlyField('createdAt'), readOnlyField('updatedAt'),
    ],
  },
  {
    name: 'customers',
    fields: [
      readOnlyField('id'), { name: 'firstName' }, { name: 'lastName' }, { name: 'email' }, { name: 'phone' }, { name: 'note' },
      { name: 'tags' }, { name: 'locale' }, { name: 'taxExempt' }, readOnlyField('createdAt'), readOnlyField('updatedAt'),
    ],
  },
  { name: 'deletionEvents', fields: [readOnlyField('subjectId'), readOnlyField('subjectType'), readOnlyField('occurredAt')] },
];

export const shopifyCatalogDifferences: CatalogDifferences = {
  sandboxOnlyObjects: { deletionEvents: 'the trace a deleted product leaves; the products capture reads it for tombstones' },
  sandboxOnlyFields: {
    products: { options: "derived from the variants' optionValues on every write (productSet needs both)" },
    customers: unmapped('phone', 'locale', 'taxExempt'),
  },
};

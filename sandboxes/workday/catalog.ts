import { nestedField, readOnlyField, type CatalogDifferences, type CatalogObject } from '../kit';

/** The resources as the REST API names their fields (payroll-inputs.ts, workers.ts). */
export const workdayCatalog: CatalogObject[] = [
  {
    name: 'payrollInputs',
    fields: [
      readOnlyField('id'), readOnlyField('descriptor'), readOnlyField('href'),
      { name: 'payrollInputID' }, nestedField('worker'), nestedField('payComponent'), { name: 'startDate' }, { name: 'endDate' },
      { name: 'adjustment' }, { name: 'comment' }, nestedField('currency'),
    ],
  },
  {
    name: 'workers',
    fields: [
      readOnlyField('id'), readOnlyField('descriptor'), readOnlyField('href'), readOnlyField('workerId'), readOnlyField('businessTitle'),
      readOnlyField('primaryWorkEmail'), readOnlyField('primaryWorkPhone'), readOnlyField('isManager'), nestedField('primarySupervisoryOrganization', true),
    ],
  },
];

export const workdayCatalogDifferences: CatalogDifferences = {
  sandboxOnlyFields: {
    payrollInputs: { href: 'a link to the resource: the connector drops links (records.ts)' },
    workers: { href: 'a link to the resource: the connector drops links (records.ts)' },
  },
};

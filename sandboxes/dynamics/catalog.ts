import type { CatalogDifferences, CatalogObject } from '../kit';
import { DELETIONS, entities } from './entities';

/** The tables as the Web API names their columns (entities.ts), with the ones Dataverse sets read-only. */
export const dynamicsCatalog: CatalogObject[] = [
  ...entities.map((e): CatalogObject => ({
    name: e.entitySet,
    fields: e.columns.map((c) => ({ name: c.name, ...(c.readOnly ? { readOnly: true } : {}) })),
  })),
  { name: DELETIONS, fields: ['id', 'entitySet', 'recordId', 'versionnumber'].map((name) => ({ name, readOnly: true })) },
];

const PRIMARY_KEY_ON_CREATE = 'Dataverse takes the primary key in a create body (the row keeps that GUID); the connector never writes it in a load, '
  + 'only when a rollback re-creates a deleted row with its original GUID';

export const dynamicsCatalogDifferences: CatalogDifferences = {
  sandboxOnlyObjects: {
    [DELETIONS]: 'change-tracking tombstones, what a delta link answers as $deletedEntity: capture reads them as delete events, no table of their own',
  },
  writableOnOneSide: {
    accounts: { accountid: PRIMARY_KEY_ON_CREATE },
    contacts: { contactid: PRIMARY_KEY_ON_CREATE },
  },
};

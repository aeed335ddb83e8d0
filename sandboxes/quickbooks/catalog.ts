import { type CatalogDifferences, type CatalogField, type CatalogObject, nestedField, readOnlyField, unmapped } from '../kit';
import { ENTITIES, SYSTEM_PROPERTIES } from './entities';

/** Properties whose values are objects or lists of objects (a connector's dotted fields reach into them). */
const NESTED = /(Addr|Ref|Phone|Mobile|Memo|Email|MetaData|^Line)$/;

/** The entities as QuickBooks shows them: what a request may set (entities.ts), and what QuickBooks sets. */
/** What QuickBooks sets on each entity (of SYSTEM_PROPERTIES, the ones the entity has). */
const SET_BY_QUICKBOOKS: Record<string, string[]> = {
  Customer: ['Id', 'SyncToken', 'domain', 'sparse', 'MetaData', 'FullyQualifiedName', 'Balance'],
  Item: ['Id', 'SyncToken', 'domain', 'sparse', 'MetaData', 'FullyQualifiedName'],
  Invoice: ['Id', 'SyncToken', 'domain', 'sparse', 'MetaData', 'TotalAmt', 'Balance'],
};

export const quickbooksCatalog: CatalogObject[] = ENTITIES.map((e) => {
  const system = (SET_BY_QUICKBOOKS[e.name] ?? []).filter((n) => SYSTEM_PROPERTIES.has(n));
  const names = [...new Set([...e.writable, ...system])];
  const fields: CatalogField[] = names.map((name) => {
    const readOnly = system.includes(name);
    if (NESTED.test(name)) return nestedField(name, readOnly);
    return readOnly ? readOnlyField(name) : { name };
  });
  return { name: e.name, fields };
});

export const quickbooksCatalogDifferences: CatalogDifferences = {
  sandboxOnlyFields: {
    Customer: { ...unmapped('BillAddr', 'ShipAddr', 'WebAddr', 'FullyQualifiedName'), domain: 'always QBO', sparse: 'how an update was sent, not data' },
    Item: { ...unmapped('AssetAccountRef', 'QtyOnHand', 'InvStartDate', 'TrackQtyOnHand', 'FullyQualifiedName'), domain: 'always QBO', sparse: 'how an update was sent, not data' },
    Invoice: { domain: 'always QBO', sparse: 'how an update was sent, not data' },
  },
  writableOnOneSide: {
    Customer: { Active: 'QuickBooks deactivates instead of deleting: the connector writes Active only through delete and restore' },
    Item: { Active: 'QuickBooks deactivates instead of deleting: the connector writes Active only through delete and restore' },
  },
};

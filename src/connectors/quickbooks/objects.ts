import type { FieldSpec, ObjectSpec, WriteOperation } from '../contract';
import { describedObjects, readOnlyField } from '../kit';
import { SYSTEM } from './auth';

/**
 * Customer, Item and Invoice as data. Records use the entities' own property names; nested objects
 * are flat, dotted fields (PrimaryEmailAddr.Address, CustomerRef.value), as Fault elements name
 * them. Invoice lines stay one JSON field, `Line`, read back in the form a write sends (see
 * records.ts).
 */
export const ID_FIELD = 'Id';
export const VERSION_FIELD = 'SyncToken';
/** "API call limits and throttles": at most 30 payloads per batch request. */
export const BATCH_LIMIT = 30;
/** Every request names this minor version (1–74 were retired on 2025-08-01). */
export const MINOR_VERSION = '75';

export type EntityName = 'Customer' | 'Item' | 'Invoice';

export interface QboObject {
  spec: ObjectSpec;
  entity: EntityName;
  /** URL segment: /v3/company/{realmId}/customer. */
  resource: string;
  /**
   * How QuickBooks removes it: name lists (Customer, Item) cannot be deleted, only made inactive
   * (Active=false, undone by Active=true); transactions (Invoice) are deleted for good.
   */
  removal: 'deactivate' | 'delete';
  /** The unique name a 6240 "Duplicate Name Exists Error" is about. */
  nameField?: string;
}

const text = (name: string): FieldSpec => ({ name, type: 'string' });
const number = (name: string): FieldSpec => ({ name, type: 'number' });
const bool = (name: string): FieldSpec => ({ name, type: 'boolean' });
/** Names QuickBooks matches without regard to case ("Duplicate Name Exists Error"). */
const uniqueName = (name: string): FieldSpec => ({ name, type: 'string', keyMatch: 'case-insensitive' });

const common: FieldSpec[] = [readOnlyField(ID_FIELD, 'string'), readOnlyField(VERSION_FIELD, 'string'), readOnlyField('MetaData.CreateTime', 'datetime'), readOnlyField('MetaData.LastUpdatedTime', 'datetime')];
const systemFields = ['domain', 'sparse', 'FullyQualifiedName'];
const operations: WriteOperation[] = ['create', 'update', 'upsert', 'delete'];

export const quickbooksObjectList: QboObject[] = [
  {
    entity: 'Customer',
    resource: 'customer',
    removal: 'deactivate',
    nameField: 'DisplayName',
    spec: {
      name: 'Customer',
      naturalKeys: [ID_FIELD, 'DisplayName'],
      fields: [...common, uniqueName('DisplayName'), text('Title'), text('GivenName'), text('MiddleName'), text('FamilyName'), text('Suffix'),
        text('CompanyName'), text('PrimaryEmailAddr.Address'), text('PrimaryPhone.FreeFormNumber'), text('Mobile.FreeFormNumber'), text('Notes'),
        text('PrintOnCheckName'), bool('Taxable'), readOnlyField('Active', 'boolean'), readOnlyField('Balance', 'number')],
      systemFields,
      versionField: VERSION_FIELD,
      operations,
      batchSize: BATCH_LIMIT,
      cursor: 'timestamp',
      notes: 'QuickBooks never deletes a customer: a delete makes it inactive (Active=false) and a rollback makes it active again, same Id. '
        + 'An inactive customer keeps its DisplayName (unique across customers, vendors and employees, ignoring case): a create or upsert by '
        + 'DisplayName reactivates it instead of failing as a duplicate. Capture reports inactive customers as deletes.',
    },
  },
  {
    entity: 'Item',
    resource: 'item',
    removal: 'deactivate',
    nameField: 'Name',
    spec: {
      name: 'Item',
      naturalKeys: [ID_FIELD, 'Name'],
      fields: [...common, uniqueName('Name'), text('Description'), text('Type'), number('UnitPrice'), text('IncomeAccountRef.value'),
        text('ExpenseAccountRef.value'), text('Sku'), bool('Taxable'), text('PurchaseDesc'), number('PurchaseCost'), readOnlyField('Active', 'boolean')],
      systemFields: [...systemFields, 'IncomeAccountRef.name', 'ExpenseAccountRef.name'],
      versionField: VERSION_FIELD,
      operations,
      batchSize: BATCH_LIMIT,
      cursor: 'timestamp',
      notes: 'Items, like customers, are made inactive instead of deleted. Service items need IncomeAccountRef.value (an income Account id).',
    },
  },
  {
    entity: 'Invoice',
    resource: 'invoice',
    removal: 'delete',
    spec: {
      name: 'Invoice',
      naturalKeys: [ID_FIELD, 'DocNumber'],
      fields: [...common, text('DocNumber'), { name: 'TxnDate', type: 'string' }, { name: 'DueDate', type: 'string' }, text('CustomerRef.value'),
        { name: 'Line', type: 'json' }, text('PrivateNote'), text('CustomerMemo.value'), text('BillEmail.Address'),
        readOnlyField('TotalAmt', 'number'), readOnlyField('Balance', 'number')],
      systemFields: [...systemFields, 'CustomerRef.name'],
      versionField: VERSION_FIELD,
      operations,
      batchSize: BATCH_LIMIT,
      cursor: 'timestamp',
      notes: 'A deleted invoice is gone: a rollback re-creates it from its before-image with a new Id (use DocNumber as the natural key to find it again). '
        + 'Line is compared as JSON in the form it is read back: [{ Amount, DetailType: "SalesItemLineDetail", Description?, '
        + 'SalesItemLineDetail: { Qty, ItemRef: { value }, UnitPrice } }] (QuickBooks adds line ids, item names and a subtotal line, which are left out).',
    },
  },
];

export const quickbooksObjects: ObjectSpec[] = quickbooksObjectList.map((o) => o.spec);

export const quickbooksObject: (name: string) => QboObject = describedObjects(SYSTEM, quickbooksObjectList);

import type { FieldSpec, ObjectSpec, WriteOperation } from '../contract';
import { describedObjects, readOnlyField } from '../kit';
import { SYSTEM } from './auth';

/**
 * Clients, invoices and items as data. Records use FreshBooks' field names; money objects are
 * dotted fields (unit_cost.amount); invoice `lines` is one JSON field. FreshBooks takes one record
 * per call: a chunk is written WRITE_CONCURRENCY records at a time.
 */
export const ID_FIELD = 'id';
export const CHUNK_SIZE = 25;
export const WRITE_CONCURRENCY = 4;

export interface FbObject {
  spec: ObjectSpec;
  /** List wrapper and path: { clients: [...] } at users/clients. */
  collection: string;
  /** Single wrapper: { client: {...} }. */
  single: string;
  path: string;
  /** search[<name>] filters by natural key (keys other than id). */
  searchByKey: Record<string, string>;
}

const text = (name: string): FieldSpec => ({ name, type: 'string' });
const number = (name: string): FieldSpec => ({ name, type: 'number' });
const stamps = [readOnlyField(ID_FIELD), readOnlyField('vis_state', 'number'), readOnlyField('updated', 'datetime')];
const operations: WriteOperation[] = ['create', 'update', 'upsert', 'delete'];
const deletes = 'A delete sets vis_state to 1 (FreshBooks keeps deleted records); a rollback sets it back to 0, same id. '
  + 'A record deleted for good (outside the API) is re-created from its before-image with a new id.';

export const freshbooksObjectList: FbObject[] = [
  {
    collection: 'clients',
    single: 'client',
    path: 'users/clients',
    searchByKey: { email: 'email' },
    spec: {
      name: 'clients',
      naturalKeys: [ID_FIELD, 'email'],
      fields: [...stamps, readOnlyField('userid'), readOnlyField('signup_date', 'datetime'), { name: 'email', type: 'string', keyMatch: 'case-insensitive' },
        text('fname'), text('lname'), text('organization'), text('bus_phone'), text('home_phone'), text('mob_phone'), text('fax'), text('note'),
        text('currency_code'), text('language'), text('p_street'), text('p_street2'), text('p_city'), text('p_province'), text('p_code'), text('p_country'),
        text('vat_name'), text('vat_number')],
      systemFields: ['accounting_systemid', 'role', 'level', 'num_logins', 'pref_email', 'pref_gmail'],
      operations,
      batchSize: CHUNK_SIZE,
      cursor: 'timestamp',
      notes: `${deletes} email identifies a client in a business (matched ignoring case).`,
    },
  },
  {
    collection: 'invoices',
    single: 'invoice',
    path: 'invoices/invoices',
    searchByKey: { invoice_number: 'invoice_number' },
    spec: {
      name: 'invoices',
      naturalKeys: [ID_FIELD, 'invoice_number'],
      fields: [...stamps, readOnlyField('invoiceid'), readOnlyField('created_at', 'datetime'), number('customerid'), text('create_date'), number('due_offset_days'),
        text('invoice_number'), text('notes'), text('terms'), text('po_number'), text('currency_code'), text('language'), { name: 'lines', type: 'json' },
        readOnlyField('due_date'), readOnlyField('status', 'number'), readOnlyField('amount.amount'), readOnlyField('amount.code'), readOnlyField('outstanding.amount'),
        readOnlyField('outstanding.code'), readOnlyField('paid.amount'), readOnlyField('paid.code')],
      systemFields: ['accountid', 'accounting_systemid', 'v3_status', 'display_status', 'payment_status', 'fname', 'lname', 'organization'],
      operations,
      batchSize: CHUNK_SIZE,
      cursor: 'timestamp',
      notes: `${deletes} lines are compared as JSON in the form they are read back: [{ name, qty (number), description?, `
        + 'unit_cost: { amount: "25.00", code } }] (FreshBooks adds line ids, amounts and taxes, which are left out).',
    },
  },
  {
    collection: 'items',
    single: 'item',
    path: 'items/items',
    searchByKey: {},
    spec: {
      name: 'items',
      naturalKeys: [ID_FIELD],
      fields: [...stamps, readOnlyField('itemid'), text('name'), text('description'), number('qty'), text('unit_cost.amount'), text('unit_cost.code'),
        text('sku'), number('inventory')],
      systemFields: ['accounting_systemid', 'tax1', 'tax2'],
      operations,
      batchSize: CHUNK_SIZE,
      cursor: 'timestamp',
      notes: `${deletes} Items have no searchable natural key: they are addressed by id.`,
    },
  },
];

export const freshbooksObjects: ObjectSpec[] = freshbooksObjectList.map((o) => o.spec);

export const freshbooksObject: (name: string) => FbObject = describedObjects(SYSTEM, freshbooksObjectList);

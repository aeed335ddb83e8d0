import type { FieldSpec, ObjectSpec } from '../contract';
import { objectCatalog, readOnlyField } from '../kit';
import { SYSTEM } from './errors';

/**
 * Sage Intacct objects of the XML API (Web Services, dtdversion 3.0) in their integration names:
 * CUSTOMER (https://developer.intacct.com/api/accounts-receivable/customers/) and VENDOR
 * (https://developer.intacct.com/api/accounts-payable/vendors/). RECORDNO is Intacct's own key; the
 * caller's key is CUSTOMERID / VENDORID, chosen on create and never changed afterwards. Values
 * travel as XML text: numbers and booleans are converted on the way in and out (records.ts).
 */
export const ID = 'RECORDNO';
/**
 * Functions per request. Intacct documents no count, but a request must finish inside its 15
 * minute synchronous timeout and each create/update/delete counts as one performance-tier
 * transaction whatever the request; 50 keeps a request small.
 */
export const FUNCTIONS_PER_REQUEST = 50;
/** Keys per `read` / `readByName` (the documented limit of the keys list is 100). */
export const KEYS_PER_READ = 100;

const text = (name: string, label: string): LabelledField => ({ spec: { name, type: 'string' }, label });
const readOnly = (name: string, label: string, type: FieldSpec['type'] = 'string'): LabelledField => ({ spec: readOnlyField(name, type), label });

interface LabelledField {
  spec: FieldSpec;
  /** How Intacct's error messages name the field. */
  label: string;
}

const stamps: LabelledField[] = [
  readOnly(ID, 'Record number'), readOnly('WHENCREATED', 'When created', 'datetime'), readOnly('WHENMODIFIED', 'When modified', 'datetime'),
  readOnly('CREATEDBY', 'Created by'), readOnly('MODIFIEDBY', 'Modified by'),
];

const common = (): LabelledField[] => [
  { spec: { name: 'NAME', type: 'string', required: true }, label: 'Name' },
  text('STATUS', 'Status'),
  { spec: { name: 'CREDITLIMIT', type: 'number' }, label: 'Credit limit' },
  text('TERMNAME', 'Term'),
  text('CURRENCY', 'Default currency'),
  { spec: { name: 'ONHOLD', type: 'boolean' }, label: 'On hold' },
  text('COMMENTS', 'Comments'),
];

function objectOf(name: string, idField: string, idLabel: string, extra: LabelledField[], notes: string): { spec: ObjectSpec; labels: Record<string, string> } {
  const fields = [...stamps, { spec: { name: idField, type: 'string', createOnly: true }, label: idLabel } as LabelledField, ...common(), ...extra];
  return {
    spec: {
      name,
      naturalKeys: [ID, idField],
      fields: fields.map((f) => f.spec),
      operations: ['create', 'update', 'upsert', 'delete'],
      batchSize: FUNCTIONS_PER_REQUEST,
      cursor: 'timestamp',
      notes,
    },
    labels: Object.fromEntries(fields.map((f) => [f.spec.name, f.label])),
  };
}

const customer = objectOf('CUSTOMER', 'CUSTOMERID', 'Customer ID', [text('RESALENO', 'Resale number')],
  'Writes send up to 50 create/update/delete functions in one XML request, each answered by its own <result>. '
  + 'CUSTOMERID cannot change after create. A deleted customer cannot be undeleted: a rollback re-creates it with its '
  + 'CUSTOMERID and a new RECORDNO. Deletes are captured from the audit trail (AUDITHISTORY, ACCESSMODE Deleted).');
const vendor = objectOf('VENDOR', 'VENDORID', 'Vendor ID', [text('TAXID', 'Tax ID')],
  'As CUSTOMER: batched functions, VENDORID fixed after create, re-created with a new RECORDNO on rollback, deletes from AUDITHISTORY.');

export const customerSpec = customer.spec;
export const vendorSpec = vendor.spec;
export const sageIntacctObjects: ObjectSpec[] = [customerSpec, vendorSpec];

/** Field labels by object, for error messages that name a field by label. */
export const fieldLabels: Record<string, Record<string, string>> = { CUSTOMER: customer.labels, VENDOR: vendor.labels };

/** The caller's key of each object (CUSTOMERID, VENDORID): readByName looks records up by it. */
export function nameField(spec: ObjectSpec): string {
  return spec.naturalKeys[1];
}

/** The AUDITHISTORY OBJECTTYPE of each object (lower-case, as the audit trail names them). */
export function auditObjectType(spec: ObjectSpec): string {
  return spec.name.toLowerCase();
}

const catalog = objectCatalog(SYSTEM, sageIntacctObjects);
export const intacctObject = (name: string): ObjectSpec => catalog.spec(name);

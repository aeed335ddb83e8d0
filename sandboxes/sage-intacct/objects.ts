import type { GatewayError } from './xml';

/**
 * CUSTOMER and VENDOR as the XML API shows them (integration names), with the checks the sandbox
 * makes of a create or update. Field lists follow https://developer.intacct.com/api/accounts-receivable/customers/
 * and https://developer.intacct.com/api/accounts-payable/vendors/ (a subset: DISPLAYCONTACT and the
 * other nested contact blocks are left out).
 */
export interface IntacctObject {
  name: 'CUSTOMER' | 'VENDOR';
  /** The user-chosen ID field: unique, required, fixed after create. */
  idField: string;
  label: string;
  /** Writable fields and their labels (how messages name them). */
  fields: Record<string, string>;
}

export const SYSTEM_FIELDS = ['RECORDNO', 'WHENCREATED', 'WHENMODIFIED', 'CREATEDBY', 'MODIFIEDBY'];
const common = { NAME: 'Name', STATUS: 'Status', CREDITLIMIT: 'Credit limit', TERMNAME: 'Term', CURRENCY: 'Default currency', ONHOLD: 'On hold', COMMENTS: 'Comments' };

export const intacctObjects: IntacctObject[] = [
  { name: 'CUSTOMER', idField: 'CUSTOMERID', label: 'Customer', fields: { CUSTOMERID: 'Customer ID', ...common, RESALENO: 'Resale number' } },
  { name: 'VENDOR', idField: 'VENDORID', label: 'Vendor', fields: { VENDORID: 'Vendor ID', ...common, TAXID: 'Tax ID' } },
];

export const AUDIT = 'AUDITHISTORY';
export const AUDIT_FIELDS = ['OBJECTTYPE', 'OBJECTKEY', 'OBJECTDESC', 'USERID', 'ACCESSTIME', 'ACCESSMODE', 'SOURCE'];

export function intacctObject(name: string): IntacctObject | undefined {
  return intacctObjects.find((o) => o.name === name.toUpperCase());
}

/** The business-rule failure of a create or update, as Intacct words them: the field's label in the text. */
function refusal(object: IntacctObject, verb: 'create' | 'update', description2: string, correction = ''): GatewayError {
  return { errorno: 'BL01001973', description: `Could not ${verb} ${object.label} record!`, description2, correction };
}

/** The problems of the values a create or update sends (empty when none). */
export function problems(object: IntacctObject, verb: 'create' | 'update', values: Record<string, string>): GatewayError[] {
  const found: GatewayError[] = [];
  for (const name of Object.keys(values)) {
    if (!(name in object.fields) && name !== 'RECORDNO') found.push(refusal(object, verb, `Invalid field ${name}: ${object.name} has no such field.`, 'Use the integration names lookup returns.'));
  }
  if (verb === 'create') {
    if (!values[object.idField]) found.push(refusal(object, verb, `Required field ${object.fields[object.idField]} is missing.`, `Provide ${object.idField}: this company does not number ${object.label.toLowerCase()}s automatically.`));
    if (!values.NAME) found.push(refusal(object, verb, 'Required field Name is missing.', 'Provide NAME.'));
  } else if ('NAME' in values && values.NAME === '') {
    found.push(refusal(object, verb, 'Required field Name cannot be empty.', 'Provide NAME.'));
  }
  const limit = values.CREDITLIMIT;
  if (limit !== undefined && limit !== '' && !/^-?\d+(\.\d+)?$/.test(limit)) {
    found.push(refusal(object, verb, `Credit limit '${limit}' is not a valid number.`, 'Enter a number without currency symbols.'));
  }
  const status = values.STATUS;
  if (status !== undefined && status !== '' && status !== 'active' && status !== 'inactive') {
    found.push(refusal(object, verb, `Status '${status}' is not valid.`, "Use 'active' or 'inactive'."));
  }
  const onHold = values.ONHOLD;
  if (onHold !== undefined && onHold !== '' && onHold !== 'true' && onHold !== 'false') {
    found.push(refusal(object, verb, `On hold '${onHold}' is not valid.`, "Use 'true' or 'false'."));
  }
  return found;
}

export function duplicateId(object: IntacctObject, id: string): GatewayError {
  return refusal(object, 'create', `Another ${object.label} with the given value(s) ${id} already exists`, `Use a unique ${object.fields[object.idField]}.`);
}

export function idChanged(object: IntacctObject): GatewayError {
  return refusal(object, 'update', `${object.fields[object.idField]} cannot be changed after the ${object.label.toLowerCase()} is created.`, `Leave ${object.idField} out of the update.`);
}

export function notFound(object: IntacctObject, verb: 'update' | 'delete', key: string): GatewayError {
  return { errorno: 'BL01001973', description: `Could not ${verb} ${object.label} record!`, description2: `${object.label} record ${key} does not exist.`, correction: '' };
}

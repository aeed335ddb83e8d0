import { ReplyError, type StoredRecord } from '../kit';
import { odataError } from './errors';

/**
 * The tables the sandbox serves, as Dataverse's Web API v9.2 describes them (Web API EntityType
 * reference: account, contact): entity set, logical name, primary key, alternate keys, and the
 * columns with their Edm types and maximum lengths. Alternate keys are defined per environment in
 * Dataverse; the sandbox's are accounts(accountnumber) and contacts(emailaddress1).
 */
export type EdmType = 'Edm.String' | 'Edm.Decimal' | 'Edm.Int32' | 'Edm.Boolean' | 'Edm.DateTimeOffset' | 'Edm.Int64' | 'Edm.Guid';

export interface Column {
  name: string;
  type: EdmType;
  maxLength?: number;
  readOnly?: boolean;
  /** Its display name, as Dataverse's messages name it. */
  display: string;
}

export interface EntityDef {
  entitySet: string;
  logicalName: string;
  primaryKey: string;
  /** Alternate keys: each a list of columns (single-column keys here). */
  alternateKeys: string[][];
  columns: Column[];
}

const col = (name: string, type: EdmType, display: string, maxLength?: number, readOnly = false): Column =>
  ({ name, type, display, ...(maxLength !== undefined ? { maxLength } : {}), ...(readOnly ? { readOnly } : {}) });

const AUDIT = [col('createdon', 'Edm.DateTimeOffset', 'Created On', undefined, true), col('modifiedon', 'Edm.DateTimeOffset', 'Modified On', undefined, true),
  col('versionnumber', 'Edm.Int64', 'Version Number', undefined, true)];

export const accountEntity: EntityDef = {
  entitySet: 'accounts', logicalName: 'account', primaryKey: 'accountid', alternateKeys: [['accountnumber']],
  columns: [
    col('accountid', 'Edm.Guid', 'Account'), col('name', 'Edm.String', 'Account Name', 160), col('accountnumber', 'Edm.String', 'Account Number', 20),
    col('telephone1', 'Edm.String', 'Main Phone', 50), col('emailaddress1', 'Edm.String', 'Email', 100), col('websiteurl', 'Edm.String', 'Website', 200),
    col('description', 'Edm.String', 'Description', 2000), col('revenue', 'Edm.Decimal', 'Annual Revenue'), col('numberofemployees', 'Edm.Int32', 'Number of Employees'),
    col('address1_city', 'Edm.String', 'Address 1: City', 80), col('creditonhold', 'Edm.Boolean', 'Credit Hold'), ...AUDIT,
  ],
};

export const contactEntity: EntityDef = {
  entitySet: 'contacts', logicalName: 'contact', primaryKey: 'contactid', alternateKeys: [['emailaddress1']],
  columns: [
    col('contactid', 'Edm.Guid', 'Contact'), col('firstname', 'Edm.String', 'First Name', 50), col('lastname', 'Edm.String', 'Last Name', 50),
    col('emailaddress1', 'Edm.String', 'Email', 100), col('telephone1', 'Edm.String', 'Business Phone', 50), col('jobtitle', 'Edm.String', 'Job Title', 100),
    col('description', 'Edm.String', 'Description', 2000), ...AUDIT,
  ],
};

export const entities = [accountEntity, contactEntity];
export const DELETIONS = 'deletions';

export function entityBySet(set: string): EntityDef | undefined {
  return entities.find((e) => e.entitySet === set);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value: string): boolean => GUID.test(value);

function badPayload(message: string, code = '0x0'): never {
  throw new ReplyError(odataError(400, code, message));
}

/**
 * A create or update body checked as Dataverse checks it: unknown properties, Edm types, string
 * lengths (0x80044331, naming the attribute). Business-required columns are not enforced by the
 * Web API (only by forms), so a missing `name` is accepted, as it is by Dataverse.
 */
export function validatePayload(entity: EntityDef, body: unknown, options: { allowPrimaryKey: boolean }): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) badPayload('The request body must be a JSON object.');
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name.startsWith('@odata.')) continue;
    const column = entity.columns.find((c) => c.name === name);
    if (!column) {
      badPayload(`The property '${name}' does not exist on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'. Make sure to only use property names that are defined by the type.`, '0x80060888');
    }
    if (column.readOnly) continue; // Dataverse ignores values sent for columns it sets itself
    if (name === entity.primaryKey && !options.allowPrimaryKey) continue;
    out[name] = checkValue(entity, column, value);
  }
  return out;
}

function checkValue(entity: EntityDef, column: Column, value: unknown): unknown {
  if (value === null) return null;
  const literal = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  const wrongType = () => badPayload(`Error identified in Payload provided by the user for Entity :'${entity.entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: Cannot convert the literal ${literal} to the expected type '${column.type}'.`);
  switch (column.type) {
    case 'Edm.String': {
      if (typeof value !== 'string') return wrongType();
      if (column.maxLength !== undefined && value.length > column.maxLength) {
        badPayload(`A validation error occurred. The length of the '${column.name}' attribute of the '${entity.logicalName}' entity exceeded the maximum allowed length of '${column.maxLength}'.`, '0x80044331');
      }
      return value;
    }
    case 'Edm.Decimal':
      return typeof value === 'number' && Number.isFinite(value) ? value : wrongType();
    case 'Edm.Int32':
      return Number.isInteger(value) ? value : wrongType();
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? value : wrongType();
    case 'Edm.Guid':
      return typeof value === 'string' && isGuid(value) ? value.toLowerCase() : wrongType();
    default:
      return wrongType();
  }
}

export const etagOf = (record: StoredRecord): string => `W/"${String(record.fields.versionnumber ?? 0)}"`;

/** A row as the Web API shows it: @odata.etag, the selected columns (null when empty), the primary key. */
export function presentRow(entity: EntityDef, record: StoredRecord, select?: string[]): Record<string, unknown> {
  const names = select && select.length > 0 ? select : entity.columns.map((c) => c.name);
  const row: Record<string, unknown> = { '@odata.etag': etagOf(record) };
  for (const name of names) {
    if (name === entity.primaryKey) continue;
    if (name === 'createdon') row[name] = record.createdAt.replace(/\.\d{3}Z$/, 'Z');
    else if (name === 'modifiedon') row[name] = record.updatedAt.replace(/\.\d{3}Z$/, 'Z');
    else if (name === 'versionnumber') row[name] = record.fields.versionnumber ?? null;
    else row[name] = record.fields[name] ?? null;
  }
  row[entity.primaryKey] = record.id;
  return row;
}

/** Checks $select: every name a column of the table. */
export function checkSelect(entity: EntityDef, select: string[]): void {
  const unknown = select.find((name) => !entity.columns.some((c) => c.name === name));
  if (unknown) badPayload(`Could not find a property named '${unknown}' on type 'Microsoft.Dynamics.CRM.${entity.logicalName}'.`);
}

import type { FieldSpec, ObjectSpec } from '../contract';
import { objectCatalog, readOnlyField } from '../kit';
import { SYSTEM } from './errors';

/**
 * Dataverse tables as data, in the Web API's column (logical) names. The first natural key is the
 * primary key (a GUID); the second an alternate key (accounts: accountnumber; contacts:
 * emailaddress1 — alternate keys are defined per environment, and these must exist there for upserts
 * by them). Both match without case (a GUID in upper case is the same row; Dataverse answers it in
 * lower case). `@odata.etag` is the row's version token (If-Match on updates).
 */
export interface DataverseObject {
  spec: ObjectSpec;
  entitySet: string;
  primaryKey: string;
  /** Columns of the environment's alternate key used here. */
  alternateKey: string;
}

/**
 * Rows per load chunk, sent as one $batch changeset. Dataverse takes up to 1000 requests in a
 * batch; 100 keeps a changeset well inside the 2-minute limit on one request and within what the
 * service protection limits' execution-time budget absorbs.
 */
export const CHUNK_SIZE = 100;
export const ETAG = '@odata.etag';

const text = (name: string): FieldSpec => ({ name, type: 'string' });
const number = (name: string): FieldSpec => ({ name, type: 'number' });
const AUDIT = [readOnlyField('createdon', 'datetime'), readOnlyField('modifiedon', 'datetime'), readOnlyField('versionnumber', 'number')];

function table(entitySet: string, primaryKey: string, alternateKey: string, fields: FieldSpec[], notes: string): DataverseObject {
  return {
    entitySet, primaryKey, alternateKey,
    spec: {
      name: entitySet,
      naturalKeys: [primaryKey, alternateKey],
      fields: [{ ...readOnlyField(primaryKey, 'string'), keyMatch: 'case-insensitive' }, ...fields.map((f) => (f.name === alternateKey ? { ...f, keyMatch: 'case-insensitive' as const } : f)), ...AUDIT],
      operations: ['create', 'update', 'upsert', 'delete'],
      batchSize: CHUNK_SIZE,
      cursor: 'delta-link',
      systemFields: [ETAG],
      versionField: ETAG,
      notes: `${notes} Writes go as one $batch changeset per chunk (all or nothing); updates carry If-Match with the row's current ETag. `
        + 'A deleted row is re-created with its original GUID on rollback. Capture uses change tracking (must be enabled on the table). '
        + 'The Web API does not enforce business-required columns. Service protection: 6,000 requests and 20 minutes of execution time per '
        + '5 minutes and 52 concurrent requests per user, 429 with Retry-After (waited out); a $batch takes up to 1000 requests, chunks here are 100.',
    },
  };
}

export const dataverseObjectList: DataverseObject[] = [
  table('accounts', 'accountid', 'accountnumber', [text('name'), text('accountnumber'), text('telephone1'), text('emailaddress1'), text('websiteurl'),
    text('description'), number('revenue'), number('numberofemployees'), text('address1_city'), { name: 'creditonhold', type: 'boolean' }],
  'name is at most 160 characters, accountnumber 20.'),
  table('contacts', 'contactid', 'emailaddress1', [text('firstname'), text('lastname'), text('emailaddress1'), text('telephone1'), text('jobtitle'), text('description')],
    'Upserts by emailaddress1 need that alternate key defined in the environment.'),
];

export const dataverseObjects: ObjectSpec[] = dataverseObjectList.map((o) => o.spec);
const catalog = objectCatalog(SYSTEM, dataverseObjects);

export function dataverseObject(name: string): DataverseObject {
  catalog.spec(name);
  return dataverseObjectList.find((o) => o.spec.name === name)!;
}

/** Columns a read asks for: every field of the spec (the ETag comes with every row). */
export function selectColumns(target: DataverseObject): string[] {
  return target.spec.fields.map((f) => f.name);
}

import { objectCatalog } from '../kit';
import type { FieldSpec, ObjectSpec, WriteOperation } from '../contract';
import type { KeyMatch } from '../../platform/object-spec';
import { SYSTEM } from './errors';

/**
 * Salesforce sObjects as data. `Id` is Salesforce's own id; `External_Id__c` is the External ID
 * field an org adds for integrations (any field marked External ID works: custom objects list theirs
 * at run time, from describe). Fields set by Salesforce are read-only and never compared.
 */
export const ID_FIELD = 'Id';
export const EXTERNAL_ID_FIELD = 'External_Id__c';
/** sObject Collections: at most 200 records per call. */
export const COLLECTION_LIMIT = 200;
export const SYSTEM_FIELDS = ['Id', 'IsDeleted', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'CreatedById', 'LastModifiedById'];

const operations: WriteOperation[] = ['create', 'update', 'upsert', 'delete'];
const text = (name: string): FieldSpec => ({ name, type: 'string' });
/** External ID values match ignoring case. */
export const EXTERNAL_ID_KEY_MATCH: KeyMatch = 'case-insensitive';
/** Ids by their case-sensitive 15-character form: an 18-character id only adds a checksum of its case. */
export const ID_KEY_MATCH: KeyMatch = { exactFirst: 15 };
const externalId = (name: string): FieldSpec => ({ name, type: 'string', keyMatch: EXTERNAL_ID_KEY_MATCH });
const number = (name: string): FieldSpec => ({ name, type: 'number' });
const systemFields: FieldSpec[] = SYSTEM_FIELDS.map((name) => ({
  name, type: name === 'IsDeleted' ? 'boolean' : name.endsWith('Date') || name === 'SystemModstamp' ? 'datetime' : 'string', readOnly: true,
  ...(name === ID_FIELD ? { keyMatch: ID_KEY_MATCH } : {}),
}));

function standardObject(name: string, fields: FieldSpec[], notes: string): ObjectSpec {
  return {
    name,
    naturalKeys: [ID_FIELD, EXTERNAL_ID_FIELD],
    fields: [...systemFields, ...fields, externalId(EXTERNAL_ID_FIELD)],
    operations,
    batchSize: COLLECTION_LIMIT,
    cursor: 'timestamp',
    systemFields: ['attributes'],
    notes,
  };
}

export const salesforceObjects: ObjectSpec[] = [
  standardObject('Account', [text('Name'), text('Phone'), text('Website'), text('Industry'), number('NumberOfEmployees'), number('AnnualRevenue'), text('BillingCity'), text('BillingCountry')],
    'Name is required. Deleted accounts go to the recycle bin for 15 days; a rollback undeletes them (same Id).'),
  standardObject('Contact', [text('FirstName'), text('LastName'), text('Email'), text('Phone'), text('Title'), text('AccountId')],
    'LastName is required; Email must be an email address.'),
  standardObject('Opportunity', [text('Name'), text('StageName'), { name: 'CloseDate', type: 'datetime' }, number('Amount'), number('Probability'), text('AccountId')],
    'Name, StageName and CloseDate (YYYY-MM-DD) are required.'),
];

const CUSTOM_OBJECT = /^[A-Za-z][A-Za-z0-9_]*__c$/;

/**
 * A custom object by API name (Invoice__c): its fields and External ID fields come from describe at
 * run time, so the spec names only Id and the system fields.
 */
export function customObjectSpec(name: string): ObjectSpec | undefined {
  if (!CUSTOM_OBJECT.test(name) || name.includes('__c__')) return undefined;
  return {
    name,
    naturalKeys: [ID_FIELD],
    fields: systemFields,
    operations,
    batchSize: COLLECTION_LIMIT,
    cursor: 'timestamp',
    systemFields: ['attributes'],
    dynamicFields: true,
    notes: 'A custom object: fields and External ID fields are read from describe.',
  };
}

const catalog = objectCatalog(SYSTEM, salesforceObjects, customObjectSpec);
export const salesforceObject = (object: string): ObjectSpec => catalog.spec(object);

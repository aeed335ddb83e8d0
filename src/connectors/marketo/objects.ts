import type { FieldSpec, ObjectSpec } from '../contract';
import { objectCatalog, readOnlyField } from '../kit';
import { SYSTEM } from './errors';

/**
 * Marketo objects in the REST API's field names. `id` is Marketo's (an integer, assigned on
 * create); leads are found by `email` (case-insensitive, Marketo's default lookupField), companies
 * by `externalCompanyId` (their dedupe field). 300 records a call for sync, read and delete.
 */
export const ID = 'id';
export const BATCH_LIMIT = 300;

const text = (name: string): FieldSpec => ({ name, type: 'string' });
const stamps = [readOnlyField('createdAt', 'datetime'), readOnlyField('updatedAt', 'datetime')];
const operations: ObjectSpec['operations'] = ['create', 'update', 'upsert', 'delete'];

export const leadSpec: ObjectSpec = {
  name: 'leads',
  naturalKeys: [ID, 'email'],
  fields: [
    readOnlyField(ID, 'number'), { name: 'email', type: 'string', keyMatch: 'case-insensitive' }, text('firstName'), text('lastName'), text('company'),
    text('title'), text('phone'), { name: 'numberOfEmployees', type: 'number' }, text('leadSource'), text('externalCompanyId'), ...stamps,
  ],
  operations,
  batchSize: BATCH_LIMIT,
  cursor: 'event-id',
  notes: 'Pushed with action createOnly/updateOnly/createOrUpdate and lookupField email (or id for updates). A deleted lead cannot be '
    + 'restored: a rollback re-creates it with a new id. Capture reads the Activities API (New Lead, Change Data Value, Delete Lead), '
    + 'which keeps 90 days of activities.',
};

export const companySpec: ObjectSpec = {
  name: 'companies',
  naturalKeys: [ID, 'externalCompanyId'],
  fields: [
    readOnlyField(ID, 'number'), text('externalCompanyId'), text('company'), text('website'), text('industry'), { name: 'numberOfEmployees', type: 'number' },
    text('billingCity'), text('billingCountry'), ...stamps,
  ],
  operations,
  batchSize: BATCH_LIMIT,
  cursor: 'event-id',
  notes: 'Only for instances without a native CRM sync (Salesforce/Dynamics own companies there). Deduplicated by externalCompanyId. '
    + 'Marketo logs no activities for companies: there is no capture.',
};

export const marketoObjects: ObjectSpec[] = [leadSpec, companySpec];

const catalog = objectCatalog(SYSTEM, marketoObjects);
export const marketoObject = (name: string): ObjectSpec => catalog.spec(name);

import { objectCatalog, readOnlyField } from '../kit';
import type { FieldSpec, ObjectSpec, WriteOperation } from '../contract';

/**
 * HubSpot CRM objects as data (DESIGN.md "Models to learn from"): one write path serves them all.
 * `hs_object_id` is HubSpot's own id; `external_id` is the sandbox's custom property with unique
 * values (a portal defines its own: any property with "unique values" works as an idProperty).
 */
export const ID_PROPERTY = 'hs_object_id';
/** HubSpot's documented maximum inputs per CRM batch call. */
export const BATCH_LIMIT = 100;

const operations: WriteOperation[] = ['create', 'update', 'upsert', 'delete'];

const text = (name: string): FieldSpec => ({ name, type: 'string' });
/** Unique properties: HubSpot matches them ignoring case (emails are stored lower-case). */
const uniqueText = (name: string): FieldSpec => ({ name, type: 'string', keyMatch: 'case-insensitive' });
const number = (name: string): FieldSpec => ({ name, type: 'number' });

const systemFields = (lastModified: string[]): FieldSpec[] => [
  readOnlyField(ID_PROPERTY, 'string'),
  readOnlyField('createdate', 'datetime'),
  ...lastModified.map((name) => readOnlyField(name, 'datetime')),
  uniqueText('external_id'),
];

export const hubspotObjects: ObjectSpec[] = [
  {
    name: 'contacts',
    naturalKeys: [ID_PROPERTY, 'email', 'external_id'],
    fields: [
      ...systemFields(['lastmodifieddate', 'hs_lastmodifieddate']),
      uniqueText('email'), text('firstname'), text('lastname'), text('phone'), text('company'), text('website'), text('jobtitle'),
      text('lifecyclestage'),
    ],
    operations,
    batchSize: BATCH_LIMIT,
    cursor: 'timestamp',
    notes: 'email is unique and stored lower-case; HubSpot has no API to restore an archived contact, a rollback re-creates it with a new id.',
  },
  {
    name: 'companies',
    naturalKeys: [ID_PROPERTY, 'domain', 'external_id'],
    fields: [
      ...systemFields(['hs_lastmodifieddate']),
      text('name'), uniqueText('domain'), text('industry'), text('phone'), text('city'), text('country'),
      number('numberofemployees'), number('annualrevenue'), text('lifecyclestage'),
    ],
    operations,
    batchSize: BATCH_LIMIT,
    cursor: 'timestamp',
    notes: 'domain works as a natural key only where the portal makes it unique.',
  },
  {
    name: 'deals',
    naturalKeys: [ID_PROPERTY, 'external_id'],
    fields: [
      ...systemFields(['hs_lastmodifieddate']),
      text('dealname'), number('amount'), { name: 'closedate', type: 'datetime' }, text('pipeline'), text('dealstage'),
      text('hubspot_owner_id'), text('hs_priority'),
    ],
    operations,
    batchSize: BATCH_LIMIT,
    cursor: 'timestamp',
    notes: 'deals have no unique standard property: upsert needs a custom unique property such as external_id.',
  },
];

/**
 * The property CRM search filters and sorts changes on. HubSpot's search guide: `lastmodifieddate`
 * for contacts, `hs_lastmodifieddate` for every other object.
 */
export function lastModifiedProperty(object: string): string {
  return object === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

const catalog = objectCatalog('hubspot', hubspotObjects);
export const hubspotObject = (object: string): ObjectSpec => catalog.spec(object);

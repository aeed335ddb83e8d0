import type { FieldSpec, ObjectSpec } from '../contract';
import { objectCatalog, readOnlyField } from '../kit';
import { SYSTEM } from './errors';

/**
 * ServiceNow tables as objects, in the Table API's column names. `sys_id` (32 hex characters) is
 * ServiceNow's id and can be given on insert; incidents are found by the caller's `correlation_id`
 * (the field ServiceNow keeps for an external system's id) or by `number`, users by `user_name`
 * or `email`. Values are strings, as the Table API answers them. Any other table can be named at
 * run time (custom tables u_*, scoped x_<vendor>_<app>_*), keyed by sys_id.
 */
export const ID = 'sys_id';
/** Records per Batch API call: ServiceNow documents sizes (5 MB an item) and a 30 s quota, not a count; 50 stays far inside both. */
export const BATCH_LIMIT = 50;

const text = (name: string): FieldSpec => ({ name, type: 'string' });
const key = (name: string): FieldSpec => ({ name, type: 'string', keyMatch: 'case-insensitive' });
const stamps: FieldSpec[] = [
  readOnlyField(ID), readOnlyField('sys_created_on', 'datetime'), readOnlyField('sys_created_by'), readOnlyField('sys_updated_on', 'datetime'), readOnlyField('sys_updated_by'),
  readOnlyField('sys_mod_count'),
];
const operations: ObjectSpec['operations'] = ['create', 'update', 'upsert', 'delete'];

/** Labels of the declared fields: Data Policy refusals name fields by label. */
export const labels: Record<string, Record<string, string>> = {
  incident: { short_description: 'Short description', description: 'Description', caller_id: 'Caller', category: 'Category', impact: 'Impact', urgency: 'Urgency', state: 'State', assignment_group: 'Assignment group', correlation_id: 'Correlation ID' },
  sys_user: { user_name: 'User ID', first_name: 'First name', last_name: 'Last name', email: 'Email', title: 'Title', phone: 'Business phone', active: 'Active' },
};

export const incidentSpec: ObjectSpec = {
  name: 'incident',
  naturalKeys: [ID, 'correlation_id', 'number'],
  fields: [
    ...stamps, key('correlation_id'), readOnlyField('number'), text('short_description'), text('description'), text('caller_id'), text('category'),
    text('impact'), text('urgency'), text('state'), text('assignment_group'), readOnlyField('priority'), readOnlyField('active'), readOnlyField('opened_at', 'datetime'),
  ],
  operations,
  batchSize: BATCH_LIMIT,
  cursor: 'timestamp',
  notes: 'Writes go through the Batch API (one Table API request per record inside). priority is calculated from impact and urgency. '
    + 'A deleted incident is re-created with its sys_id (restore keeps the id; number and sys_created_on are the new ones). '
    + 'Deletes are captured from sys_audit_delete.',
};

export const userSpec: ObjectSpec = {
  name: 'sys_user',
  naturalKeys: [ID, 'user_name', 'email'],
  fields: [...stamps, key('user_name'), key('email'), text('first_name'), text('last_name'), text('title'), text('phone'), text('active')],
  operations,
  batchSize: BATCH_LIMIT,
  cursor: 'timestamp',
  notes: 'Deletions from sys_* tables are recorded in sys_audit_delete only where the instance audits them (by default it does not): '
    + 'without that, capture sees no sys_user deletes. Deactivating (active=false) is the usual alternative to deleting users.',
};

export const servicenowObjects: ObjectSpec[] = [incidentSpec, userSpec];

const TABLE_NAME = /^(u_|x_[a-z0-9]+_)[a-z0-9_]*[a-z0-9]$/;

/** A custom table by name (u_asset, x_acme_app_item): columns come back as the Table API shows them; keyed by sys_id. */
export function customTableSpec(name: string): ObjectSpec | undefined {
  if (!TABLE_NAME.test(name) || name.length > 80) return undefined;
  return {
    name, naturalKeys: [ID], fields: stamps, operations, batchSize: BATCH_LIMIT, cursor: 'timestamp', dynamicFields: true,
    notes: 'A custom table: every column the Table API returns is read; loads are keyed by sys_id (given on insert, kept on restore).',
  };
}

const catalog = objectCatalog(SYSTEM, servicenowObjects, customTableSpec);
export const servicenowObject = (name: string): ObjectSpec => catalog.spec(name);

import type { FieldSpec, ObjectSpec } from '../contract';
import { objectCatalog, readOnlyField } from '../kit';
import { BULK_LIMIT, type Resource } from './api';
import { SYSTEM } from './auth';

/**
 * Zendesk objects as data, in the API's attribute names. `id` is Zendesk's; `external_id` is the
 * caller's (unique for users, NOT for tickets: two tickets with one external id are a conflict);
 * users can also be found by `email`.
 */
export const ID = 'id';

const text = (name: string): FieldSpec => ({ name, type: 'string' });
const number = (name: string): FieldSpec => ({ name, type: 'number' });
const json = (name: string): FieldSpec => ({ name, type: 'json' });
const stamps = [readOnlyField('created_at', 'datetime'), readOnlyField('updated_at', 'datetime')];

export const ticketSpec: ObjectSpec = {
  name: 'tickets',
  naturalKeys: [ID, 'external_id'],
  fields: [
    readOnlyField(ID, 'number'), text('external_id'), text('subject'),
    // The first comment: sent as comment.body on create, read back as description; never changes.
    { name: 'description', type: 'string', createOnly: true, required: true },
    text('priority'), text('status'), text('type'), json('tags'), number('requester_id'), number('assignee_id'), text('due_at'),
    json('custom_fields'), ...stamps,
  ],
  operations: ['create', 'update', 'upsert', 'delete'],
  batchSize: BULK_LIMIT,
  cursor: 'sequence',
  notes: 'Writes run as background jobs (create_many/update_many, 100 a call). Deleted tickets are soft-deleted and restored '
    + 'natively within 30 days (same id). Closed tickets cannot be updated. external_id is not unique for tickets.',
};

export const userSpec: ObjectSpec = {
  name: 'users',
  naturalKeys: [ID, 'email', 'external_id'],
  fields: [
    readOnlyField(ID, 'number'), { name: 'email', type: 'string', keyMatch: 'case-insensitive' }, text('external_id'), { name: 'name', type: 'string', required: true },
    text('role'), text('phone'), json('tags'), text('notes'), text('details'), text('time_zone'), readOnlyField('active', 'boolean'), ...stamps,
  ],
  operations: ['create', 'update', 'upsert', 'delete'],
  batchSize: BULK_LIMIT,
  cursor: 'sequence',
  notes: 'Emails are stored lower-case. A deleted user cannot be restored through the API: a rollback re-creates it (new id).',
};

export const zendeskObjects: ObjectSpec[] = [ticketSpec, userSpec];

const catalog = objectCatalog(SYSTEM, zendeskObjects);
export const zendeskObject = (name: string): { spec: ObjectSpec; resource: Resource } => {
  const spec = catalog.spec(name);
  return { spec, resource: spec.name as Resource };
};

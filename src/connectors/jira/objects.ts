import type { FieldSpec, ObjectSpec } from '../contract';
import { objectCatalog, readOnlyField } from '../kit';
import { BULK_CREATE_LIMIT } from './api';
import { SYSTEM } from './auth';

/**
 * JIRA objects as data. Issue records use JIRA's field ids; references are written and read by
 * their identifying sub-field in dotted form (`project.key`, `issuetype.name`, `priority.name`,
 * `assignee.accountId`), rich text (`description`, textarea custom fields) is Atlassian Document
 * Format, and custom fields go by their `customfield_NNNNN` id (a site's own: issues have
 * dynamicFields). The numeric `id` identifies an issue (JIRA accepts "issueIdOrKey" everywhere, but a
 * key changes when the issue moves project), so loads, restores and the Stream all name it by id; a
 * caller's own id lives in a text custom field (e.g. customfield_10050), which then serves as the
 * natural key of loads.
 */
export const ISSUE_KEY = 'key';
export const ISSUE_ID = 'id';
export const VERSION_ID = 'id';

const text = (name: string): FieldSpec => ({ name, type: 'string' });

export const issueSpec: ObjectSpec = {
  name: 'issues',
  naturalKeys: [ISSUE_ID, ISSUE_KEY],
  fields: [
    { name: ISSUE_KEY, type: 'string', readOnly: true, keyMatch: 'case-insensitive' },
    readOnlyField(ISSUE_ID),
    { name: 'project.key', type: 'string', createOnly: true, required: true },
    { name: 'issuetype.name', type: 'string', required: true },
    { name: 'summary', type: 'string', required: true },
    { name: 'description', type: 'json' },
    text('priority.name'),
    { name: 'labels', type: 'json' },
    text('duedate'),
    text('assignee.accountId'),
    readOnlyField('status.name'),
    readOnlyField('created', 'datetime'),
    readOnlyField('updated', 'datetime'),
  ],
  operations: ['create', 'update', 'upsert', 'delete'],
  batchSize: BULK_CREATE_LIMIT,
  cursor: 'timestamp',
  dynamicFields: true,
  notes: 'Rich text (description, textarea custom fields) is Atlassian Document Format, never a plain string. '
    + 'Records and Stream events are named by the issue id (stable; a key changes when an issue moves). Natural keys: id, key, or a text custom field holding your own id (customfield_NNNNN). JIRA cannot restore a deleted '
    + 'issue: a rollback re-creates it, and it gets a new id and key. Status changes need workflow transitions and are not written.',
};

export const versionSpec: ObjectSpec = {
  name: 'versions',
  naturalKeys: [VERSION_ID, 'name'],
  fields: [
    readOnlyField(VERSION_ID),
    { name: 'name', type: 'string', required: true, keyMatch: 'case-insensitive' },
    { name: 'projectId', type: 'number', required: true, createOnly: true },
    text('description'),
    text('releaseDate'),
    text('startDate'),
    { name: 'released', type: 'boolean' },
    { name: 'archived', type: 'boolean' },
  ],
  operations: ['create', 'update', 'upsert', 'delete'],
  batchSize: 25,
  cursor: 'sequence',
  notes: 'Versions of the connection\'s projects; a name is unique within its project (ignoring case). Captured by comparing '
    + 'the full list with the last one (versions have no modification time). A deleted version is re-created with a new id.',
};

export const jiraObjects: ObjectSpec[] = [issueSpec, versionSpec];

const catalog = objectCatalog(SYSTEM, jiraObjects);
export const jiraObject = (name: string): ObjectSpec => catalog.spec(name);

/** The text custom field a key names (customfield_10050 -> 10050), else undefined. */
export function customFieldNumber(keyField: string): string | undefined {
  return /^customfield_(\d+)$/.exec(keyField)?.[1];
}

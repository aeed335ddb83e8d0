import type { StoredRecord } from '../kit';
import { API_USER, CUSTOM_FIELDS, ISSUE_TYPES, PRIORITIES, projectByKeyOrId, SETTABLE_FIELDS, SYSTEM_FIELDS } from './site';

/**
 * An issue as JIRA answers it (the IssueBean of the v3 description): `id`, `key`, `self` and the
 * requested `fields`, references expanded into JIRA's objects (project, issuetype, priority,
 * assignee, status), timestamps in JIRA's `yyyy-MM-ddTHH:mm:ss.SSS+0000` form.
 */
export interface IssueBean {
  expand?: string;
  id: string;
  key?: string;
  self?: string;
  fields?: Record<string, unknown>;
}

const ALL_FIELDS = [...SETTABLE_FIELDS, ...SYSTEM_FIELDS, ...CUSTOM_FIELDS.map((f) => f.id)];

/** JIRA's timestamp form of an ISO instant. */
export function jiraTimestamp(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}

/**
 * Which fields a request asked for: `*all` and `*navigable` are every field, `-name` leaves one out,
 * `id` alone (or nothing, where the default is `id`) means none.
 */
export function selectFields(requested: string[], defaultAll: boolean): string[] {
  const items = requested.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
  if (items.length === 0) return defaultAll ? ALL_FIELDS : [];
  const wantsAll = items.some((f) => f === '*all' || f === '*navigable');
  const excluded = new Set(items.filter((f) => f.startsWith('-')).map((f) => f.slice(1)));
  const named = items.filter((f) => !f.startsWith('-') && !f.startsWith('*') && f !== 'id' && f !== 'key');
  return (wantsAll ? ALL_FIELDS : named).filter((f) => !excluded.has(f) && ALL_FIELDS.includes(f));
}

export function presentIssue(record: StoredRecord, baseUrl: string, fields: string[]): IssueBean {
  const bean: IssueBean = { id: record.id };
  if (fields.length === 0) return bean;
  const out: Record<string, unknown> = {};
  for (const name of fields) out[name] = fieldValue(record, name, baseUrl);
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: record.id,
    key: String(record.fields.key),
    self: `${baseUrl}/rest/api/3/issue/${record.id}`,
    fields: out,
  };
}

function fieldValue(record: StoredRecord, name: string, baseUrl: string): unknown {
  const value = record.fields[name];
  switch (name) {
    case 'created':
      return jiraTimestamp(record.createdAt);
    case 'updated':
      return jiraTimestamp(record.updatedAt);
    case 'project': {
      const project = projectByKeyOrId(String(value));
      return project && { self: `${baseUrl}/rest/api/3/project/${project.id}`, id: project.id, key: project.key, name: project.name, projectTypeKey: 'software', simplified: false };
    }
    case 'issuetype': {
      const type = ISSUE_TYPES.find((t) => t.name === value);
      return type && { self: `${baseUrl}/rest/api/3/issuetype/${type.id}`, id: type.id, name: type.name, subtask: false, hierarchyLevel: 0 };
    }
    case 'priority': {
      const priority = PRIORITIES.find((p) => p.name === value);
      return priority ? { self: `${baseUrl}/rest/api/3/priority/${priority.id}`, id: priority.id, name: priority.name } : null;
    }
    case 'status':
      return { self: `${baseUrl}/rest/api/3/status/10000`, id: '10000', name: 'To Do', statusCategory: { id: 2, key: 'new', name: 'To Do' } };
    case 'creator':
    case 'reporter':
      return user(baseUrl, API_USER.accountId);
    case 'assignee':
      return typeof value === 'string' ? user(baseUrl, value) : null;
    case 'labels':
      return Array.isArray(value) ? value : [];
    default:
      return value ?? null;
  }
}

function user(baseUrl: string, accountId: string): Record<string, unknown> {
  return { self: `${baseUrl}/rest/api/3/user?accountId=${accountId}`, accountId, displayName: API_USER.displayName, active: true, accountType: API_USER.accountType };
}

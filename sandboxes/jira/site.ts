/**
 * The JIRA Cloud site the sandbox plays: its projects, issue types, priorities, custom fields and
 * the API user. Real sites configure these per instance; the sandbox ships one fixed configuration
 * (GET /rest/api/3/field and GET /rest/api/3/myself answer from here).
 */
export interface Project {
  id: string;
  key: string;
  name: string;
}

export interface NamedValue {
  id: string;
  name: string;
}

/**
 * A custom field: `textfield` takes a plain string (at most 255 characters), `textarea` takes an
 * Atlassian Document (ADF), `float` a number. Ids follow JIRA's `customfield_NNNNN` form.
 */
export interface CustomField {
  id: string;
  name: string;
  type: 'textfield' | 'textarea' | 'float';
}

export const PROJECTS: Project[] = [
  { id: '10000', key: 'FORGE', name: 'Forgeworks' },
  { id: '10001', key: 'OPS', name: 'Operations' },
];

export const ISSUE_TYPES: NamedValue[] = [
  { id: '10001', name: 'Task' },
  { id: '10002', name: 'Bug' },
  { id: '10003', name: 'Story' },
];

export const PRIORITIES: NamedValue[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

export const DEFAULT_PRIORITY = 'Medium';

export const CUSTOM_FIELDS: CustomField[] = [
  { id: 'customfield_10050', name: 'External ID', type: 'textfield' },
  { id: 'customfield_10051', name: 'Customer impact', type: 'textarea' },
  { id: 'customfield_10052', name: 'Story points', type: 'float' },
];

/** The standard fields a create or edit may set (besides custom fields). */
export const SETTABLE_FIELDS = ['project', 'issuetype', 'summary', 'description', 'priority', 'labels', 'duedate', 'assignee', 'environment'] as const;

/** Rich-text standard fields: they take ADF (REST v3), never a plain string. */
export const RICH_TEXT_FIELDS = new Set(['description', 'environment']);

/** Read-only fields JIRA maintains. */
export const SYSTEM_FIELDS = ['created', 'updated', 'status', 'creator', 'reporter'] as const;

export const API_USER = {
  accountId: '5b10ac8d82e05b22cc7d4ef5',
  displayName: 'Forge Sync',
  accountType: 'atlassian',
};

export function projectByKeyOrId(value: string): Project | undefined {
  return PROJECTS.find((p) => p.key.toLowerCase() === value.toLowerCase() || p.id === value);
}

export function customField(id: string): CustomField | undefined {
  return CUSTOM_FIELDS.find((f) => f.id === id);
}

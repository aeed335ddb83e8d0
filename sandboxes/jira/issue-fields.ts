import { isAdfDocument, NOT_ADF_MESSAGE } from './adf';
import {
  API_USER, customField, DEFAULT_PRIORITY, ISSUE_TYPES, PRIORITIES, projectByKeyOrId, RICH_TEXT_FIELDS, SETTABLE_FIELDS, type NamedValue,
} from './site';

/**
 * Checks the `fields` of a create (POST /rest/api/3/issue, /issue/bulk) or an edit
 * (PUT /rest/api/3/issue/{issueIdOrKey}) the way JIRA does, and turns them into what the sandbox
 * stores: references by name or key (project key, issue type name, priority name, assignee account
 * id), rich text as ADF, custom fields by their `customfield_NNNNN` id. Errors are keyed by field id,
 * with JIRA's messages.
 */
export type StoredFields = Record<string, unknown>;

export type FieldCheck = { ok: true; fields: StoredFields } | { ok: false; errors: Record<string, string> };

const SUMMARY_MAX = 255;
const TEXTFIELD_MAX = 255;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkCreateFields(input: unknown): FieldCheck {
  const fields = asObject(input);
  const errors: Record<string, string> = {};
  const stored: StoredFields = {};
  if (fields.project === undefined) errors.project = 'Specify a valid project ID or key';
  if (fields.issuetype === undefined) errors.issuetype = 'Specify an issue type';
  if (typeof fields.summary !== 'string' || fields.summary.trim() === '') errors.summary = 'You must specify a summary of the issue.';
  applyFields(fields, stored, errors, 'create');
  if (stored.priority === undefined) stored.priority = DEFAULT_PRIORITY;
  if (stored.labels === undefined) stored.labels = [];
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, fields: stored };
}

export function checkEditFields(input: unknown): FieldCheck {
  const errors: Record<string, string> = {};
  const stored: StoredFields = {};
  applyFields(asObject(input), stored, errors, 'edit');
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, fields: stored };
}

function applyFields(fields: Record<string, unknown>, stored: StoredFields, errors: Record<string, string>, mode: 'create' | 'edit'): void {
  for (const [id, value] of Object.entries(fields)) {
    if (id === 'project' && mode === 'edit') {
      errors.project = notSettable(id);
      continue;
    }
    const custom = customField(id);
    if (custom) {
      const problem = customFieldProblem(custom.type, value);
      if (problem) errors[id] = problem;
      else stored[id] = value;
      continue;
    }
    if (!(SETTABLE_FIELDS as readonly string[]).includes(id)) {
      errors[id] = notSettable(id);
      continue;
    }
    const result = standardField(id, value);
    if ('error' in result) errors[id] = result.error;
    else stored[id] = result.value;
  }
}

function standardField(id: string, value: unknown): { value: unknown } | { error: string } {
  if (RICH_TEXT_FIELDS.has(id)) return value === null || isAdfDocument(value) ? { value } : { error: NOT_ADF_MESSAGE };
  switch (id) {
    case 'project': {
      const ref = asObject(value);
      const project = projectByKeyOrId(String(ref.key ?? ref.id ?? ''));
      return project ? { value: project.key } : { error: 'Specify a valid project ID or key' };
    }
    case 'issuetype': {
      const type = named(ISSUE_TYPES, value);
      return type ? { value: type.name } : { error: 'Specify a valid issue type' };
    }
    case 'priority': {
      const priority = named(PRIORITIES, value);
      return priority ? { value: priority.name } : { error: 'The priority selected is invalid.' };
    }
    case 'summary':
      if (typeof value !== 'string' || value.trim() === '') return { error: 'You must specify a summary of the issue.' };
      if (value.includes('\n')) return { error: 'The summary is invalid because it contains newline characters.' };
      return value.length > SUMMARY_MAX ? { error: `Summary must be less than ${SUMMARY_MAX} characters.` } : { value };
    case 'labels': {
      if (!Array.isArray(value) || value.some((l) => typeof l !== 'string')) return { error: 'Operation value must be an array of strings' };
      const spaced = (value as string[]).find((l) => /\s/.test(l));
      return spaced !== undefined ? { error: `The label '${spaced}' contains spaces which is invalid.` } : { value };
    }
    case 'duedate':
      return value === null || (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value)))
        ? { value } : { error: `Error parsing date string: ${String(value)}` };
    case 'assignee': {
      if (value === null) return { value: null };
      const accountId = asObject(value).accountId;
      return accountId === API_USER.accountId ? { value: accountId } : { error: `User '${String(accountId)}' cannot be assigned issues.` };
    }
    default:
      return { error: notSettable(id) };
  }
}

function customFieldProblem(type: 'textfield' | 'textarea' | 'float', value: unknown): string | undefined {
  if (value === null) return undefined;
  if (type === 'textarea') return isAdfDocument(value) ? undefined : NOT_ADF_MESSAGE;
  if (type === 'float') return typeof value === 'number' && Number.isFinite(value) ? undefined : 'Operation value must be a number';
  if (typeof value !== 'string') return 'Operation value must be a string';
  return value.length > TEXTFIELD_MAX ? `Text fields cannot be longer than ${TEXTFIELD_MAX} characters.` : undefined;
}

function named(values: NamedValue[], ref: unknown): NamedValue | undefined {
  const { id, name } = asObject(ref);
  return values.find((v) => (id !== undefined && v.id === String(id)) || (typeof name === 'string' && v.name.toLowerCase() === name.toLowerCase()));
}

function notSettable(id: string): string {
  return `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
}

export function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

import type { ObjectSpec, Rec } from '../contract';
import { writableValues } from '../kit';
import type { IssueBean } from './api';
import { ISSUE_ID, ISSUE_KEY } from './objects';

/**
 * Issues as records and back. A record names references by a dotted sub-field (`project.key`),
 * the form they are written in ({ project: { key } }) and read back from JIRA's expanded objects,
 * so what a load wrote compares equal to what it reads.
 */

/** The JIRA field ids behind record fields, for the `fields` of a read ('project.key' -> 'project'). */
export function jiraFieldIds(names: Iterable<string>): string[] {
  const ids = new Set<string>();
  for (const name of names) {
    const id = name.split('.')[0];
    if (id !== ISSUE_KEY && id !== ISSUE_ID && id !== '') ids.add(id);
  }
  return [...ids];
}

/** The record fields to read for an object: its declared fields and the ones a caller asked for. */
export function recordFieldNames(spec: ObjectSpec, requested: string[] = []): string[] {
  return [...new Set([...spec.fields.map((f) => f.name), ...requested])];
}

/** An issue as a record: key, id, the named fields (null when JIRA has none) and every custom field it returned. */
export function toIssueRecord(issue: IssueBean, names: string[]): Rec {
  const fields = issue.fields ?? {};
  const record: Rec = { [ISSUE_KEY]: issue.key ?? null, [ISSUE_ID]: issue.id };
  for (const name of names) {
    if (name === ISSUE_KEY || name === ISSUE_ID) continue;
    record[name] = valueAt(fields, name.split('.'));
  }
  for (const [id, value] of Object.entries(fields)) if (id.startsWith('customfield_') && !(id in record)) record[id] = value;
  return record;
}

function valueAt(fields: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = fields;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return null;
    node = (node as Record<string, unknown>)[segment];
  }
  return node === undefined ? null : node;
}

/**
 * What an edit or create sends in `fields`: the record's writable fields, dotted names nested again
 * ({ 'project.key': 'FORGE' } -> { project: { key: 'FORGE' } }; a null sub-field clears the
 * reference: { 'assignee.accountId': null } -> { assignee: null }).
 */
export function toJiraFields(spec: ObjectSpec, record: Rec, leaveOut: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(writableValues(spec, record))) {
    if (leaveOut.includes(name)) continue;
    const [head, ...rest] = name.split('.');
    if (rest.length === 0) out[head] = value;
    else if (value === null || value === undefined || value === '') out[head] = null;
    else out[head] = nest(typeof out[head] === 'object' && out[head] !== null ? out[head] as Record<string, unknown> : {}, rest, value);
  }
  return out;
}

function nest(into: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (rest.length === 0) return { ...into, [head]: value };
  const child = typeof into[head] === 'object' && into[head] !== null ? into[head] as Record<string, unknown> : {};
  return { ...into, [head]: nest(child, rest, value) };
}

import { chunk } from '../../platform/batch-isolation';
import { ConnectorError } from '../../platform/errors';
import type { Key, Rec } from '../contract';
import { BULK_FETCH_LIMIT, type IssueBean, type JiraApi } from './api';
import { SYSTEM } from './auth';
import { jiraFieldIds, recordFieldNames, toIssueRecord } from './issue-records';
import { customFieldNumber, ISSUE_ID, ISSUE_KEY, issueSpec } from './objects';

/** Values per JQL lookup by custom field (one OR clause each). */
const LOOKUP_CHUNK = 50;

/**
 * Issues by natural key:
 * - `key` / `id`: bulkFetchIssues, 100 at a time, read fresh (not from the search index); keys match
 *   ignoring case, as JIRA's own lookup does;
 * - `customfield_NNNNN` (a text field holding the caller's id): JQL `cf[NNNNN] ~ "\"words\""` in the
 *   connection's projects, then the exact value compared here (JIRA's `~` is a word search: "ext-1"
 *   also finds "ext 1"). Two issues with one value are a conflict naming the field. Search reads
 *   JIRA's index, which trails writes by moments: the load's verify retries absorb that.
 */
export async function readIssues(api: JiraApi, projectKeys: string[], keyField: string, keys: Key[], requested: string[] = []): Promise<Map<Key, Rec | null>> {
  const names = recordFieldNames(issueSpec, requested);
  // Every navigable field (custom fields included), so a before-image holds what a re-create needs.
  const fields = ['*navigable', ...jiraFieldIds(names)];
  const wanted = [...new Set(keys.map((k) => k.trim()).filter((k) => k !== ''))];
  const found = keyField === ISSUE_KEY || keyField === ISSUE_ID
    ? await fetchByIdOrKey(api, wanted, fields)
    : await findByCustomField(api, projectKeys, keyField, wanted, fields);
  return new Map(keys.map((key) => {
    const issue = found.get(normalise(keyField, key.trim()));
    return [key, issue ? toIssueRecord(issue, names) : null];
  }));
}

function normalise(keyField: string, value: string): string {
  return keyField === ISSUE_KEY ? value.toUpperCase() : value;
}

async function fetchByIdOrKey(api: JiraApi, wanted: string[], fields: string[]): Promise<Map<string, IssueBean>> {
  const found = new Map<string, IssueBean>();
  for (const part of chunk(wanted, BULK_FETCH_LIMIT)) {
    for (const issue of await api.bulkFetch(part, fields)) {
      found.set(issue.id, issue);
      if (issue.key) found.set(issue.key.toUpperCase(), issue);
    }
  }
  return found;
}

async function findByCustomField(api: JiraApi, projectKeys: string[], keyField: string, wanted: string[], fields: string[]): Promise<Map<string, IssueBean>> {
  const number = customFieldNumber(keyField);
  if (!number) {
    throw new ConnectorError({
      kind: 'permanent', system: SYSTEM,
      fields: [{ field: 'naturalKey', message: `issues are found by key, id or a text custom field (customfield_NNNNN), not ${keyField}` }],
      message: `jira issues cannot be looked up by ${keyField}: use key, id or a text custom field such as customfield_10050`,
    });
  }
  const byValue = new Map<string, IssueBean[]>();
  for (const part of chunk(wanted.filter((v) => searchWords(v) !== ''), LOOKUP_CHUNK)) {
    const clauses = part.map((value) => `cf[${number}] ~ "\\"${searchWords(value)}\\""`).join(' OR ');
    const jql = `project in (${projectKeys.join(', ')}) AND (${clauses})`;
    for await (const issue of api.searchAll(jql, [...new Set([...fields, keyField])])) {
      const value = issue.fields?.[keyField];
      if (typeof value !== 'string' || !part.includes(value.trim())) continue;
      byValue.set(value.trim(), [...(byValue.get(value.trim()) ?? []), issue]);
    }
  }
  const found = new Map<string, IssueBean>();
  for (const [value, issues] of byValue) {
    if (issues.length > 1) {
      const keys = issues.map((i) => i.key ?? i.id).join(', ');
      throw new ConnectorError({
        kind: 'conflict', system: SYSTEM,
        fields: [{ field: keyField, message: `${issues.length} issues share ${keyField} ${value}: ${keys}` }],
        message: `jira has ${issues.length} issues with ${keyField} = ${value} (${keys}): a natural key must be unique`,
      });
    }
    found.set(value, issues[0]);
  }
  return found;
}

/** The words of a value, as JIRA's text index splits it (a phrase search on them finds the value). */
function searchWords(value: string): string {
  return value.split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
}

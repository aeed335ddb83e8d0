import type { DestinationContract, Key } from '../contract';
import { deleteConfirmed, idsByKey, recreateValues, removeEach, sleep } from '../kit';
import { isConnectorError } from '../../platform/errors';
import type { CreatedIssue, JiraApi } from './api';
import { recordErrors } from './errors';
import { readIssues } from './issue-reader';
import { toJiraFields } from './issue-records';
import { writeIssues, EDIT_CONCURRENCY } from './issue-writer';
import { ISSUE_ID, issueSpec, jiraObject, VERSION_ID, versionSpec } from './objects';
import { readVersions, VERSION_CONCURRENCY, writeVersions } from './versions';

export interface JiraDestinationOptions {
  projectKeys: string[];
  /** Waits between confirmation reads; injectable for tests of the policy. */
  wait?: (ms: number) => Promise<void>;
}

export function jiraDestination(api: JiraApi, options: JiraDestinationOptions): DestinationContract {
  const { projectKeys } = options;
  const read = (object: string, keyField: string, keys: Key[], fields?: string[]) => (jiraObject(object).name === issueSpec.name
    ? readIssues(api, projectKeys, keyField, keys, fields)
    : readVersions(api, projectKeys, keyField, keys));

  return {
    read,

    write: (object, op, keyField, records) => (jiraObject(object).name === issueSpec.name
      ? writeIssues(api, projectKeys, op, keyField, records)
      : writeVersions(api, projectKeys, op, keyField, records)),

    /**
     * deleteIssue / deleteVersion, one per record, each confirmed by a fresh read (bulkFetchIssues,
     * getVersion) that no longer finds it. Issues are deleted without their subtasks: JIRA refuses
     * (400) to delete an issue that has subtasks, and that refusal fails the record.
     */
    delete(object, keyField, keys) {
      const issues = jiraObject(object).name === issueSpec.name;
      const idField = issues ? ISSUE_ID : VERSION_ID;
      return deleteConfirmed({
        systemName: 'JIRA', object, keyField, keys, wait: options.wait ?? sleep,
        idsOf: (wanted) => idsByKey(wanted, keyField, idField, (k) => read(object, keyField, k)),
        remove: (targets) => removeEach(targets, issues ? EDIT_CONCURRENCY : VERSION_CONCURRENCY,
          (t) => (issues ? api.deleteIssue(t.id) : api.deleteVersion(t.id)), recordErrors),
        stillPresent: async (ids) => {
          const current = await read(object, idField, ids);
          return new Set(ids.filter((id) => current.get(id) !== null));
        },
      });
    },

    /**
     * JIRA has no API to bring back a deleted issue or version: it is created again from its
     * before-image and gets a new key (issues) or id (versions), which the load records. Loads keyed
     * by a custom field (issues) or by name (versions) find the re-created record by that key.
     */
    async restore(object, _keyField, before) {
      if (jiraObject(object).name === issueSpec.name) {
        const created = await recreateIssue(api, toJiraFields(issueSpec, recreateValues(issueSpec, before)));
        return { id: created.id, recreated: true };
      }
      const created = await api.createVersion(recreateValues(versionSpec, before));
      return { id: created.id, recreated: true };
    },
  };
}

const NOT_SETTABLE = /cannot be set\. It is not on the appropriate screen, or unknown/;

/**
 * A before-image read with every navigable field holds fields JIRA maintains itself (rank, sprint,
 * and other app-managed custom fields) that no create screen offers. When JIRA refuses only such
 * fields ("cannot be set"), the issue is created once more without them: they could not have been
 * restored anyway. Any other refusal is thrown, naming its fields.
 */
async function recreateIssue(api: JiraApi, fields: Record<string, unknown>): Promise<CreatedIssue> {
  try {
    return await api.createIssue(fields);
  } catch (err) {
    const refused = isConnectorError(err) && err.kind === 'validation' ? err.fields ?? [] : [];
    if (refused.length === 0 || !refused.every((f) => f.field in fields && NOT_SETTABLE.test(f.message))) throw err;
    const settable = Object.fromEntries(Object.entries(fields).filter(([name]) => !refused.some((f) => f.field === name)));
    return api.createIssue(settable);
  }
}

import { chunk } from '../../platform/batch-isolation';
import { BULK_FETCH_LIMIT, type JiraApi } from './api';

/**
 * How a capture learns that issues were deleted. JIRA's search has no tombstones: a deleted issue
 * simply stops matching. The choices the API allows were:
 * - the audit log (GET /rest/api/3/auditing/record): needs the Administer Jira global permission,
 *   and issue deletion is not among the audit categories Atlassian documents;
 * - webhooks (jira:issue_deleted): pushed, not pollable, and lost while the receiver is down;
 * - reconciling keys: list the ids of every issue in the connection's projects (JQL, ids only,
 *   5,000 a page) and compare with the ids the capture knows (the last reconciliation plus every
 *   issue captured since). That is what this does, every `deleteReconcileSeconds`.
 * A known id the search no longer returns is confirmed with bulkFetchIssues (fresh, not the index):
 * only an id that is gone there too is a delete. An issue moved to a project outside the connection
 * leaves the known set without a delete event. The delete's time is the reconciliation's: JIRA
 * keeps no record of when the issue went.
 */
export interface Reconciliation {
  /** Ids of the connection's issues now: the next known set. */
  present: Set<string>;
  /** Ids known before and confirmed gone. */
  deleted: string[];
}

export async function reconcileIssueIds(api: JiraApi, projectKeys: string[], known: Set<string>): Promise<Reconciliation> {
  const present = new Set<string>();
  for await (const issue of api.searchAll(`project in (${projectKeys.join(', ')}) ORDER BY key ASC`, [])) present.add(issue.id);
  const missing = [...known].filter((id) => !present.has(id));
  const stillThere = new Set<string>();
  const inScope = (key: string | undefined) => key !== undefined && projectKeys.includes(key.split('-')[0]);
  for (const part of chunk(missing, BULK_FETCH_LIMIT)) {
    for (const issue of await api.bulkFetch(part, ['project'])) {
      stillThere.add(issue.id);
      if (inScope(issue.key)) present.add(issue.id); // not in the index yet: keep watching it
    }
  }
  return { present, deleted: missing.filter((id) => !stillThere.has(id)) };
}

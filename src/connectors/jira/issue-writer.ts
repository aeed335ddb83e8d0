import { chunk } from '../../platform/batch-isolation';
import { mapWithConcurrency } from '../../platform/concurrency';
import { ConnectorError } from '../../platform/errors';
import { sameValue } from '../../platform/load/compare';
import type { FieldError, Rec, RecordResult, WriteOperation } from '../contract';
import { keyValue } from '../kit';
import { BULK_CREATE_LIMIT, type CreatedIssues, type JiraApi } from './api';
import { SYSTEM } from './auth';
import { collectionFields, extractFields, recordErrors } from './errors';
import { readIssues } from './issue-reader';
import { toJiraFields } from './issue-records';
import { ISSUE_ID, ISSUE_KEY, issueSpec } from './objects';

export type WriteOp = Exclude<WriteOperation, 'delete'>;

/** Edits in flight at once (JIRA has no bulk edit with per-issue values). */
export const EDIT_CONCURRENCY = 5;

const CREATE_ONLY = issueSpec.fields.filter((f) => f.createOnly).map((f) => f.name);

interface Pending {
  index: number;
  key: string;
  record: Rec;
}

/**
 * create -> createIssues (50 per call; refused elements come back by position, named by field);
 * update -> editIssue per issue, by key, EDIT_CONCURRENCY at once; upsert (by a custom field key)
 * -> the issues found are edited, the others created. Results carry the issue key as the id.
 */
export async function writeIssues(api: JiraApi, projectKeys: string[], op: WriteOp, keyField: string, records: Rec[]): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  const pending: Pending[] = [];
  records.forEach((record, index) => {
    const key = keyValue(record, keyField);
    const refusal = refuseBeforeSending(op, keyField, key);
    if (refusal) results.push({ index, key, outcome: 'failed', errors: [refusal] });
    else pending.push({ index, key, record });
  });

  const current = op === 'create' ? new Map<string, Rec | null>() : await readIssues(api, projectKeys, keyField, pending.map((p) => p.key));
  const toCreate = pending.filter((p) => op === 'create' || (op === 'upsert' && !current.get(p.key)));
  const toEdit = pending.filter((p) => op !== 'create' && current.get(p.key));
  for (const p of pending.filter((x) => op === 'update' && !current.get(x.key))) {
    results.push({ index: p.index, key: p.key, outcome: 'failed', errors: [{ field: keyField, message: `no issue with ${keyField} ${p.key}` }] });
  }

  for (const part of chunk(toCreate, BULK_CREATE_LIMIT)) results.push(...await createBatch(api, part));
  results.push(...await mapWithConcurrency(toEdit, EDIT_CONCURRENCY, (p) => editOne(api, p, current.get(p.key)!)));
  return results.sort((a, b) => a.index - b.index);
}

function refuseBeforeSending(op: WriteOp, keyField: string, key: string): FieldError | undefined {
  const systemKey = keyField === ISSUE_KEY || keyField === ISSUE_ID;
  if (systemKey && op !== 'update') {
    return { field: keyField, message: `JIRA assigns issue ${keyField}s: ${op} issues by a text custom field holding your own id (customfield_NNNNN)` };
  }
  if (op !== 'create' && key === '') return { field: keyField, message: `${keyField} is required to ${op} an issue` };
  return undefined;
}

async function createBatch(api: JiraApi, batch: Pending[]): Promise<RecordResult[]> {
  const body = await api.createIssues(batch.map((p) => ({ fields: toJiraFields(issueSpec, p.record) })));
  if (!Array.isArray(body.errors) && !Array.isArray(body.issues)) {
    throw new ConnectorError({ kind: 'validation', status: 400, system: SYSTEM, fields: extractFields(body), body, message: `jira refused the bulk create: ${JSON.stringify(body)}` });
  }
  const refused = refusals(body);
  const created = [...(body.issues ?? [])];
  if (created.length + refused.size !== batch.length) {
    throw new Error(`jira createIssues answered ${created.length} issues and ${refused.size} errors for ${batch.length} requests`);
  }
  return batch.map((p, position): RecordResult => {
    const errors = refused.get(position);
    if (errors) return { index: p.index, key: p.key, outcome: 'failed', errors: inRecordTerms(errors, p.record) };
    const issue = created.shift()!;
    return { index: p.index, key: p.key || issue.key, id: issue.id, outcome: 'created' };
  });
}

/** The refused elements of a createIssues answer, by position in the request. */
function refusals(body: CreatedIssues): Map<number, FieldError[]> {
  const refused = new Map<number, FieldError[]>();
  for (const error of body.errors ?? []) {
    if (typeof error.failedElementNumber !== 'number') continue;
    const fields = collectionFields(error.elementErrors);
    refused.set(error.failedElementNumber, fields.length > 0 ? fields : [{ field: '*', message: `refused with status ${error.status ?? 400}` }]);
  }
  return refused;
}

async function editOne(api: JiraApi, p: Pending, current: Rec): Promise<RecordResult> {
  const issueKey = String(current[ISSUE_KEY]);
  const id = String(current[ISSUE_ID]);
  const moved = CREATE_ONLY.filter((name) => name in p.record && !sameValue(p.record[name], current[name]));
  if (moved.length > 0) {
    return {
      index: p.index, key: p.key, id, outcome: 'failed',
      errors: moved.map((field) => ({ field, message: `${field} of ${issueKey} is ${JSON.stringify(current[field])}: moving an issue to another project is not an edit (JIRA's bulk move)` })),
    };
  }
  try {
    await api.editIssue(issueKey, toJiraFields(issueSpec, p.record, CREATE_ONLY));
    return { index: p.index, key: p.key, id, outcome: 'updated' };
  } catch (err) {
    const errors = recordErrors(err);
    if (errors) return { index: p.index, key: p.key, id, outcome: 'failed', errors: inRecordTerms(errors, p.record) };
    throw err;
  }
}

/**
 * JIRA names a reference by its field id (`priority`); the record wrote it as `priority.name`:
 * errors are reported under the record's own field name.
 */
function inRecordTerms(errors: FieldError[], record: Rec): FieldError[] {
  return errors.map((e) => {
    const dotted = e.field in record ? undefined : Object.keys(record).find((name) => name.startsWith(`${e.field}.`));
    return dotted ? { ...e, field: dotted } : e;
  });
}

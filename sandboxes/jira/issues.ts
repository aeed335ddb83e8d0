import { json, type HandlerContext, type Reply, type Route, type StoredRecord } from '../kit';
import { badRequest, errorCollection, fieldErrors, issueNotFound } from './errors';
import { asObject, checkCreateFields, checkEditFields } from './issue-fields';
import { presentIssue, selectFields } from './issue-view';

/**
 * Issues (JIRA Cloud platform REST API v3):
 *   POST   /rest/api/3/issue                   createIssue      201 { id, key, self }
 *   POST   /rest/api/3/issue/bulk              createIssues     up to 50; 201 { issues, errors } (400 when all fail)
 *   POST   /rest/api/3/issue/bulkfetch         bulkFetchIssues  up to 100 ids or keys; { issues, issueErrors }
 *   GET    /rest/api/3/issue/{issueIdOrKey}    getIssue         (keys match case-insensitively)
 *   PUT    /rest/api/3/issue/{issueIdOrKey}    editIssue        204 (200 with the issue when returnIssue=true)
 *   DELETE /rest/api/3/issue/{issueIdOrKey}    deleteIssue      204; the key is never handed out again
 * Keys are `<PROJECT>-<n>`, numbered per project and never reused: an issue deleted and created
 * again gets a new key (JIRA has no API to restore a deleted issue).
 */
export const ISSUES = 'issues';
export const BULK_CREATE_LIMIT = 50;
export const BULK_FETCH_LIMIT = 100;

/** Issue numbers per project; they only go up (a sandbox reset does not reuse keys either). */
export class KeyBook {
  private readonly last = new Map<string, number>();

  next(project: string): string {
    const n = (this.last.get(project) ?? 0) + 1;
    this.last.set(project, n);
    return `${project}-${n}`;
  }

  /** Records a key given by a seed, so later keys come after it. */
  claim(key: string): void {
    const [project, n] = key.split('-');
    if (project && Number(n) > (this.last.get(project) ?? 0)) this.last.set(project, Number(n));
  }
}

export function issueRoutes(keys: KeyBook): Route[] {
  const create = (ctx: HandlerContext, input: unknown): { created: StoredRecord } | { errors: Record<string, string> } => {
    const body = asObject(input);
    if (body.update !== undefined && Object.keys(asObject(body.update)).length > 0) {
      return { errors: { update: 'The sandbox takes field values in `fields` only, not `update` operations.' } };
    }
    const checked = checkCreateFields(body.fields);
    if (!checked.ok) return { errors: checked.errors };
    const key = keys.next(String(checked.fields.project));
    return { created: ctx.records.insert(ISSUES, { fields: { key, ...checked.fields } }) };
  };
  const createdRef = (ctx: HandlerContext, issue: StoredRecord) => ({ id: issue.id, key: String(issue.fields.key), self: `${ctx.baseUrl}/rest/api/3/issue/${issue.id}` });

  return [
    {
      method: 'POST', path: '/rest/api/3/issue',
      handle: (req, ctx) => {
        const result = create(ctx, req.body);
        return 'errors' in result ? fieldErrors(result.errors) : json(201, createdRef(ctx, result.created));
      },
    },
    {
      method: 'POST', path: '/rest/api/3/issue/bulk',
      handle: (req, ctx) => {
        const updates = asObject(req.body).issueUpdates;
        if (!Array.isArray(updates) || updates.length === 0) throw badRequest('issueUpdates must be a non-empty list');
        if (updates.length > BULK_CREATE_LIMIT) throw badRequest(`Bulk create accepts at most ${BULK_CREATE_LIMIT} issues; this request has ${updates.length}.`);
        const issues: unknown[] = [];
        const errors: unknown[] = [];
        updates.forEach((update, index) => {
          const result = create(ctx, update);
          if ('errors' in result) errors.push({ status: 400, elementErrors: { errorMessages: [], errors: result.errors }, failedElementNumber: index });
          else issues.push(createdRef(ctx, result.created));
        });
        return json(issues.length > 0 ? 201 : 400, { issues, errors });
      },
    },
    {
      method: 'POST', path: '/rest/api/3/issue/bulkfetch',
      handle: (req, ctx) => {
        const body = asObject(req.body);
        const wanted = Array.isArray(body.issueIdsOrKeys) ? body.issueIdsOrKeys.map(String) : [];
        if (wanted.length === 0 || wanted.length > BULK_FETCH_LIMIT) {
          throw badRequest(`issueIdsOrKeys must hold between 1 and ${BULK_FETCH_LIMIT} issue ids or keys`);
        }
        const fields = selectFields(Array.isArray(body.fields) ? body.fields.map(String) : [], true);
        const found = new Map<string, StoredRecord>();
        for (const idOrKey of wanted) {
          const issue = findIssue(ctx, idOrKey, 'latest');
          if (issue) found.set(issue.id, issue);
        }
        const issues = [...found.values()].sort((a, b) => Number(a.id) - Number(b.id)).map((i) => presentIssue(i, ctx.baseUrl, fields));
        return json(200, { issues, issueErrors: [] });
      },
    },
    {
      method: 'GET', path: '/rest/api/3/issue/:issueIdOrKey',
      handle: (req, ctx) => {
        const issue = findIssue(ctx, req.params.issueIdOrKey, 'read');
        if (!issue) return issueNotFound();
        return json(200, presentIssue(issue, ctx.baseUrl, selectFields(req.query.getAll('fields'), true)));
      },
    },
    {
      method: 'PUT', path: '/rest/api/3/issue/:issueIdOrKey',
      handle: (req, ctx): Reply => {
        const issue = findIssue(ctx, req.params.issueIdOrKey, 'latest');
        if (!issue) return issueNotFound();
        const body = asObject(req.body);
        if (body.fields === undefined && body.update === undefined) return errorCollection(400, ['The request body is missing.']);
        if (body.update !== undefined && Object.keys(asObject(body.update)).length > 0) {
          return fieldErrors({ update: 'The sandbox takes field values in `fields` only, not `update` operations.' });
        }
        const checked = checkEditFields(body.fields);
        if (!checked.ok) return fieldErrors(checked.errors);
        const updated = ctx.records.update(ISSUES, issue.id, checked.fields)!;
        if (req.query.get('returnIssue') === 'true') return json(200, presentIssue(updated, ctx.baseUrl, selectFields([], true)));
        return { status: 204 };
      },
    },
    {
      method: 'DELETE', path: '/rest/api/3/issue/:issueIdOrKey',
      handle: (req, ctx): Reply => {
        const issue = findIssue(ctx, req.params.issueIdOrKey, 'latest');
        if (!issue) return issueNotFound();
        ctx.records.remove(ISSUES, issue.id);
        return { status: 204 };
      },
    },
  ];
}

/** By id, or by key ignoring case (JIRA's "case-insensitive search" for a key that does not match). */
export function findIssue(ctx: HandlerContext, idOrKey: string, consistency: 'read' | 'latest'): StoredRecord | undefined {
  if (/^\d+$/.test(idOrKey)) return consistency === 'read' ? ctx.records.read(ISSUES, idOrKey) : ctx.records.latest(ISSUES, idOrKey);
  const wanted = idOrKey.toUpperCase();
  const byKey = (r: Readonly<StoredRecord>) => String(r.fields.key).toUpperCase() === wanted;
  return consistency === 'read' ? ctx.records.find(ISSUES, byKey) : ctx.records.findLatest(ISSUES, byKey);
}

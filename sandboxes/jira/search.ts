import { json, type HandlerContext, type Reply, type Route, type SandboxRequest, type StoredRecord } from '../kit';
import { badRequest, errorCollection } from './errors';
import { asObject } from './issue-fields';
import { presentIssue, selectFields } from './issue-view';
import { ISSUES } from './issues';
import { JqlError, matches, orderComparator, parseJql, type Jql } from './jql';

/**
 * JQL search with issue reconciliation, the enhanced search of JIRA Cloud:
 *   GET|POST /rest/api/3/search/jql  (searchAndReconsileIssuesUsingJql / ...Post)
 * `fields` defaults to `id` alone; `maxResults` defaults to 50 and is capped at 5,000 for id-only
 * pages, 100 otherwise; pages are chained by an opaque `nextPageToken` (null on the last page, with
 * `isLast: true`). The search reads JIRA's index, which trails writes ("recent updates might not be
 * immediately visible"): the kit's stale-read fault plays that lag; ids in `reconcileIssues` (at
 * most 50) are read fresh, as the API promises.
 */
const DEFAULT_PAGE = 50;
const MAX_PAGE_ID_ONLY = 5000;
const MAX_PAGE_WITH_FIELDS = 100;
const MAX_RECONCILE = 50;

interface PageToken {
  jql: string;
  /** The last issue of the previous page, as its sort values: the next page starts after it. */
  after: { id: string; key: string; createdAt: string; updatedAt: string; summary: string };
}

interface SearchInput {
  jql: string;
  nextPageToken?: string;
  maxResults?: number;
  fields: string[];
  reconcileIssues: string[];
}

export function searchRoutes(timeZone: () => string): Route[] {
  const handle = (input: SearchInput, ctx: HandlerContext): Reply => {
    let jql: Jql;
    try {
      jql = parseJql(input.jql);
    } catch (err) {
      if (err instanceof JqlError) return errorCollection(400, [err.message]);
      throw err;
    }
    if (!jql.where) return errorCollection(400, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
    if (input.reconcileIssues.length > MAX_RECONCILE) throw badRequest(`reconcileIssues accepts at most ${MAX_RECONCILE} issue ids`);
    const fields = selectFields(input.fields, false);
    const cap = fields.length === 0 ? MAX_PAGE_ID_ONLY : MAX_PAGE_WITH_FIELDS;
    const size = Math.max(1, Math.min(input.maxResults ?? DEFAULT_PAGE, cap));
    const after = input.nextPageToken === undefined ? undefined : readToken(input.nextPageToken, input.jql);

    const evalCtx = { timeZone: timeZone(), nowMs: ctx.clock.nowMs() };
    const byOrder = orderComparator([...jql.orderBy, { field: 'id', direction: 'ASC' }]);
    const reconciled = new Set(input.reconcileIssues);
    const hits: StoredRecord[] = [];
    const consider = (issue: Readonly<StoredRecord>) => {
      if (matches(jql.where, issue as StoredRecord, evalCtx) && (!after || byOrder(issue as StoredRecord, tokenRecord(after)) > 0)) hits.push(issue as StoredRecord);
    };
    ctx.records.eachVisible(ISSUES, (issue) => { if (!reconciled.has(issue.id)) consider(issue); });
    for (const id of reconciled) {
      const fresh = ctx.records.latest(ISSUES, id);
      if (fresh) consider(fresh);
    }
    hits.sort(byOrder);
    const page = hits.slice(0, size);
    const last = page[page.length - 1];
    const isLast = hits.length <= size || last === undefined;
    return json(200, {
      issues: page.map((issue) => presentIssue(issue, ctx.baseUrl, fields)),
      ...(isLast ? {} : { nextPageToken: writeToken({ jql: input.jql, after: sortValues(last) }) }),
      isLast,
    });
  };

  return [
    { method: 'POST', path: '/rest/api/3/search/jql', handle: (req, ctx) => handle(postInput(req), ctx) },
    { method: 'GET', path: '/rest/api/3/search/jql', handle: (req, ctx) => handle(getInput(req), ctx) },
  ];
}

function postInput(req: SandboxRequest): SearchInput {
  const body = asObject(req.body);
  const known = ['jql', 'nextPageToken', 'maxResults', 'fields', 'expand', 'properties', 'fieldsByKeys', 'reconcileIssues'];
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw badRequest(`Unrecognized field "${unknown[0]}"`);
  return {
    jql: typeof body.jql === 'string' ? body.jql : '',
    nextPageToken: typeof body.nextPageToken === 'string' ? body.nextPageToken : undefined,
    maxResults: typeof body.maxResults === 'number' ? body.maxResults : undefined,
    fields: Array.isArray(body.fields) ? body.fields.map(String) : [],
    reconcileIssues: Array.isArray(body.reconcileIssues) ? body.reconcileIssues.map(String) : [],
  };
}

function getInput(req: SandboxRequest): SearchInput {
  const max = req.query.get('maxResults');
  return {
    jql: req.query.get('jql') ?? '',
    nextPageToken: req.query.get('nextPageToken') ?? undefined,
    maxResults: max === null ? undefined : Number(max),
    fields: req.query.getAll('fields'),
    reconcileIssues: req.query.getAll('reconcileIssues').flatMap((v) => v.split(',')),
  };
}

function sortValues(issue: StoredRecord): PageToken['after'] {
  return { id: issue.id, key: String(issue.fields.key), createdAt: issue.createdAt, updatedAt: issue.updatedAt, summary: String(issue.fields.summary ?? '') };
}

function tokenRecord(after: PageToken['after']): StoredRecord {
  return { id: after.id, createdAt: after.createdAt, updatedAt: after.updatedAt, archived: false, fields: { key: after.key, summary: after.summary } };
}

function writeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function readToken(text: string, jql: string): PageToken['after'] {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as PageToken;
    if (token.jql === jql && token.after && typeof token.after.id === 'string') return token.after;
  } catch {
    // falls through to the refusal
  }
  throw badRequest('The provided next page token is invalid or expired.');
}

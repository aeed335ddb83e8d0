import type { HttpClient } from '../../platform/http';
import type { ErrorCollection } from './errors';

/**
 * The JIRA Cloud platform REST API v3 endpoints the connector uses (operation ids of Atlassian's
 * published description, ../shared/specs/jira), typed; no decisions here.
 */
export interface IssueBean {
  id: string;
  key?: string;
  fields?: Record<string, unknown>;
}

export interface CreatedIssue {
  id: string;
  key: string;
}

/** createIssues: the issues created, and an error per refused element (by its position in the request). */
export interface CreatedIssues {
  issues?: CreatedIssue[];
  errors?: Array<{ status?: number; failedElementNumber?: number; elementErrors?: ErrorCollection }>;
}

export interface SearchPage {
  issues?: IssueBean[];
  nextPageToken?: string;
  isLast?: boolean;
}

export interface Version {
  id: string;
  name: string;
  projectId: number;
  description?: string;
  releaseDate?: string;
  startDate?: string;
  released?: boolean;
  archived?: boolean;
}

/** Largest createIssues request and bulkFetchIssues request. */
export const BULK_CREATE_LIMIT = 50;
export const BULK_FETCH_LIMIT = 100;
/** Largest search page with fields (id-only pages go to 5,000). */
export const SEARCH_PAGE = 100;
export const ID_SEARCH_PAGE = 5000;

const API = '/rest/api/3';

export class JiraApi {
  constructor(private readonly http: HttpClient) {}

  /** createIssues (POST /issue/bulk): 201 when any was created, 400 with the same shape when none was. */
  async createIssues(issueUpdates: Array<{ fields: Record<string, unknown> }>): Promise<CreatedIssues> {
    return (await this.http.request<CreatedIssues>({ method: 'POST', path: `${API}/issue/bulk`, json: { issueUpdates }, expect: [400] })).body;
  }

  /** createIssue (POST /issue). */
  async createIssue(fields: Record<string, unknown>): Promise<CreatedIssue> {
    return (await this.http.request<CreatedIssue>({ method: 'POST', path: `${API}/issue`, json: { fields } })).body;
  }

  /** editIssue (PUT /issue/{issueIdOrKey}), without notifying watchers of a machine edit. */
  async editIssue(idOrKey: string, fields: Record<string, unknown>): Promise<void> {
    await this.http.request({ method: 'PUT', path: `${API}/issue/${encodeURIComponent(idOrKey)}`, query: { notifyUsers: false }, json: { fields } });
  }

  /** deleteIssue (DELETE /issue/{issueIdOrKey}); 404 counts as gone. */
  async deleteIssue(idOrKey: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `${API}/issue/${encodeURIComponent(idOrKey)}`, expect: [404] });
  }

  /** bulkFetchIssues (POST /issue/bulkfetch): at most 100 ids or keys, read fresh (not from the search index). */
  async bulkFetch(issueIdsOrKeys: string[], fields: string[]): Promise<IssueBean[]> {
    const res = await this.http.request<{ issues?: IssueBean[] }>({ method: 'POST', path: `${API}/issue/bulkfetch`, json: { issueIdsOrKeys, fields } });
    return res.body.issues ?? [];
  }

  /** searchAndReconsileIssuesUsingJqlPost (POST /search/jql): one page. */
  async search(request: { jql: string; fields: string[]; maxResults: number; nextPageToken?: string; reconcileIssues?: number[] }): Promise<SearchPage> {
    return (await this.http.request<SearchPage>({ method: 'POST', path: `${API}/search/jql`, json: request })).body;
  }

  /** Every issue a JQL query finds, page after page. */
  async *searchAll(jql: string, fields: string[], pageSize = fields.length === 0 ? ID_SEARCH_PAGE : SEARCH_PAGE): AsyncGenerator<IssueBean> {
    let nextPageToken: string | undefined;
    for (;;) {
      const page = await this.search({ jql, fields, maxResults: pageSize, nextPageToken });
      yield* page.issues ?? [];
      if (page.isLast !== false || !page.nextPageToken) return;
      if (page.nextPageToken === nextPageToken) throw new Error('JIRA search paging did not advance');
      nextPageToken = page.nextPageToken;
    }
  }

  /** getCurrentUser (GET /myself): the API user, with the time zone JQL dates are read in. */
  async myself(): Promise<{ accountId: string; timeZone?: string }> {
    return (await this.http.request<{ accountId: string; timeZone?: string }>({ method: 'GET', path: `${API}/myself` })).body;
  }

  /** getProjectVersions (GET /project/{projectIdOrKey}/versions): every version, unpaged. */
  async projectVersions(projectKey: string): Promise<Version[]> {
    return (await this.http.request<Version[]>({ method: 'GET', path: `${API}/project/${encodeURIComponent(projectKey)}/versions` })).body;
  }

  /** getVersion; null for 404. */
  async version(id: string): Promise<Version | null> {
    const res = await this.http.request<Version>({ method: 'GET', path: `${API}/version/${encodeURIComponent(id)}`, expect: [404] });
    return res.status === 404 ? null : res.body;
  }

  async createVersion(values: Record<string, unknown>): Promise<Version> {
    return (await this.http.request<Version>({ method: 'POST', path: `${API}/version`, json: values })).body;
  }

  async updateVersion(id: string, values: Record<string, unknown>): Promise<Version> {
    return (await this.http.request<Version>({ method: 'PUT', path: `${API}/version/${encodeURIComponent(id)}`, json: values })).body;
  }

  /** deleteVersion; 404 counts as gone. */
  async deleteVersion(id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `${API}/version/${encodeURIComponent(id)}`, expect: [404] });
  }
}

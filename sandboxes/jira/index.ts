import { basicAuth, json, startSandbox, type NewRecord, type RunningSandbox, type SandboxDefinition, type SandboxOptions, type StoredRecord } from '../kit';
import { jiraCatalog, jiraCatalogDifferences } from './catalog';
import { jiraSpec } from './spec';
import { errorCollection, forStatus, rateLimited, unauthorized } from './errors';
import { asObject } from './issue-fields';
import { jiraTimestamp } from './issue-view';
import { ISSUES, issueRoutes, KeyBook } from './issues';
import { searchRoutes } from './search';
import { API_USER, CUSTOM_FIELDS, DEFAULT_PRIORITY, projectByKeyOrId } from './site';
import { presentVersion, VERSIONS, versionRoutes } from './versions';

/**
 * The JIRA Cloud sandbox: the platform REST API v3 for issues (create, bulk create, edit, delete,
 * bulk fetch), JQL search with nextPageToken paging, project versions, the field list and the API
 * user, with HTTP Basic auth (account email + API token). README.md names the documentation pages
 * and the API description (../shared/specs/jira, version 1001.0.0-SNAPSHOT) it follows.
 */
export interface JiraSandboxOptions {
  email?: string;
  apiToken?: string;
  /** The API user's profile time zone: JQL dates are read in it. Default Europe/Berlin. */
  timeZone?: string;
}

export const DEFAULT_TIME_ZONE = 'Europe/Berlin';

/**
 * Jira Cloud publishes no fixed request quota for API-token traffic (only "burst" limits, answered
 * with 429 + Retry-After): the sandbox enforces 100 requests per second when asked to.
 */
export const jiraBurstRateLimit = { limit: 100, windowMs: 1000 };

export function jiraSandbox(options: JiraSandboxOptions = {}): SandboxDefinition {
  const keys = new KeyBook();
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const email = options.email ?? 'forge-sync@example.com';
  return {
    system: 'jira',
    objects: [ISSUES, VERSIONS],
    catalog: jiraCatalog,
    catalogDifferences: jiraCatalogDifferences,
    spec: jiraSpec,
    auth: basicAuth({ username: email, password: options.apiToken, credentialsShape: (c) => ({ username: c.username, password: c.password }) }),
    routes: [
      ...issueRoutes(keys),
      ...searchRoutes(() => timeZone),
      ...versionRoutes(),
      {
        method: 'GET', path: '/rest/api/3/myself',
        handle: (_req, ctx) => json(200, {
          self: `${ctx.baseUrl}/rest/api/3/user?accountId=${API_USER.accountId}`, ...API_USER, emailAddress: email, active: true, timeZone, locale: 'en_US',
        }),
      },
      {
        method: 'GET', path: '/rest/api/3/field',
        handle: () => json(200, CUSTOM_FIELDS.map((f) => ({
          id: f.id, key: f.id, name: f.name, custom: true, orderable: true, navigable: true, searchable: true,
          clauseNames: [`cf[${f.id.replace('customfield_', '')}]`, f.name],
          schema: { type: f.type === 'float' ? 'number' : f.type === 'textarea' ? 'string' : 'string', custom: `com.atlassian.jira.plugin.system.customfieldtypes:${f.type}`, customId: Number(f.id.replace('customfield_', '')) },
        }))),
      },
    ],
    errors: {
      unauthorized: (failure) => unauthorized(failure),
      rateLimited: () => rateLimited(),
      notFound: () => errorCollection(404, ['null for uri']),
      malformedBody: () => errorCollection(400, ['Unexpected character in the request body: it is not valid JSON.']),
      forStatus: (status) => forStatus(status),
    },
    rateLimit: {
      ...jiraBurstRateLimit,
      headers: (info) => ({
        'x-ratelimit-limit': String(info.limit), 'x-ratelimit-remaining': String(info.remaining),
        ...(info.remaining === 0 ? { 'ratelimit-reason': 'jira-burst-based' } : {}),
      }),
    },
    newId: (_object, sequence) => String(10_000 + sequence),
    presentRecord: (object, record) => (object === VERSIONS ? presentVersion(record, '') : presentStoredIssue(record)),
    seedRecord: (object, input) => (object === VERSIONS ? seedVersion(input) : seedIssue(input, keys)),
    config: (baseUrl) => ({ baseUrl, projectKeys: ['FORGE'] }),
  };
}

/** An issue in the admin API: id, key, timestamps and the stored field values, flat. */
function presentStoredIssue(record: StoredRecord): Record<string, unknown> {
  return { id: record.id, ...record.fields, created: jiraTimestamp(record.createdAt), updated: jiraTimestamp(record.updatedAt) };
}

/**
 * A seeded issue: { project: 'FORGE', summary, issuetype?: 'Task', priority?: 'Medium', key?, description?,
 * labels?, customfield_NNNNN?, created?, updated? } (references by key or name, as the sandbox stores them).
 */
function seedIssue(input: Record<string, unknown>, keys: KeyBook): NewRecord {
  const { id, key, created, updated, ...fields } = input;
  const project = projectByKeyOrId(String(fields.project ?? 'FORGE'));
  if (!project) throw new Error(`unknown project ${String(fields.project)}`);
  const issueKey = typeof key === 'string' ? key : keys.next(project.key);
  keys.claim(issueKey);
  return {
    ...(id !== undefined ? { id: String(id) } : {}),
    ...(typeof created === 'string' ? { createdAt: new Date(created).toISOString() } : {}),
    ...(typeof updated === 'string' ? { updatedAt: new Date(updated).toISOString() } : {}),
    fields: { key: issueKey, issuetype: 'Task', priority: DEFAULT_PRIORITY, labels: [], ...fields, project: project.key },
  };
}

function seedVersion(input: Record<string, unknown>): NewRecord {
  const { id, ...fields } = asObject(input);
  const project = projectByKeyOrId(String(fields.projectId ?? '10000'));
  if (!project) throw new Error(`unknown project ${String(fields.projectId)}`);
  return { ...(id !== undefined ? { id: String(id) } : {}), fields: { archived: false, released: false, ...fields, projectId: Number(project.id) } };
}

export function startJiraSandbox(options: JiraSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(jiraSandbox(options), options);
}

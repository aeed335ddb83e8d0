import { defineConnector } from '../kit';
import { JiraApi } from './api';
import { jiraAuth, jiraConfigSchema, jiraHttp } from './auth';
import { jiraDestination } from './destination';
import { jiraObjects } from './objects';
import { jiraSource } from './source';
import { remainingHeader, type RateLimit } from '../../platform/rate-budget';

/**
 * JIRA Cloud's burst limit (developer.atlassian.com/cloud/jira/platform/rate-limiting): 100 requests
 * per second per tenant, reported in X-RateLimit-Remaining.
 */
const jiraRateLimits: RateLimit[] = [{ requests: 100, perSeconds: 1, remaining: remainingHeader('X-RateLimit-Remaining') }];

/** JIRA Cloud (issues, project versions): REST API v3 with email + API token, JQL capture. */
export const jiraConnector = defineConnector({
  id: 'jira',
  displayName: 'JIRA Cloud',
  apiVersion: 'Jira Cloud platform REST API v3',
  auth: jiraAuth,
  config: jiraConfigSchema,
  objects: jiraObjects,
  rateLimits: jiraRateLimits,
  http: jiraHttp,
  destination: (ctx) => jiraDestination(new JiraApi(ctx.http), { projectKeys: ctx.config.projectKeys }),
  source: (ctx) => jiraSource(new JiraApi(ctx.http), { projectKeys: ctx.config.projectKeys, reconcileEveryMs: ctx.config.deleteReconcileSeconds * 1000 }),
  check: async (ctx) => {
    await new JiraApi(ctx.http).myself();
  },
});

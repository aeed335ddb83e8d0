import { defineConnector } from '../kit';
import { JiraApi } from './api';
import { jiraAuth, jiraConfigSchema, jiraHttp } from './auth';
import { jiraDestination } from './destination';
import { jiraObjects } from './objects';
import { jiraSource } from './source';

/** JIRA Cloud (issues, project versions): REST API v3 with email + API token, JQL capture. */
export const jiraConnector = defineConnector({
  id: 'jira',
  displayName: 'JIRA Cloud',
  auth: jiraAuth,
  config: jiraConfigSchema,
  objects: jiraObjects,
  http: jiraHttp,
  destination: (ctx) => jiraDestination(new JiraApi(ctx.http), { projectKeys: ctx.config.projectKeys }),
  source: (ctx) => jiraSource(new JiraApi(ctx.http), { projectKeys: ctx.config.projectKeys, reconcileEveryMs: ctx.config.deleteReconcileSeconds * 1000 }),
  check: async (ctx) => {
    await new JiraApi(ctx.http).myself();
  },
});

import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { basicAuth, basicCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthSpec } from '../contract';
import type { KitContextWithoutHttp } from '../kit';
import { extractFields } from './errors';

export const SYSTEM = 'jira';

/**
 * `baseUrl`: the site, https://<your-domain>.atlassian.net. `projectKeys`: the projects captures
 * and lookups by custom field search (JQL must be bounded). `deleteReconcileSeconds`: how often a
 * capture reconciles issue ids to find deleted issues (see delete-reconciliation.ts).
 */
export const jiraConfigSchema = z.object({
  baseUrl: egressUrl(),
  projectKeys: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'a JIRA project key: upper-case letters, digits, underscores')).min(1),
  deleteReconcileSeconds: z.number().int().nonnegative().default(900),
});
export type JiraConfig = z.infer<typeof jiraConfigSchema>;

/** HTTP Basic with the account's email as username and an API token as password: { username, password }. */
export const jiraAuth: AuthSpec = { scheme: 'basic', credentials: basicCredentialsSchema };

export function jiraHttp(ctx: KitContextWithoutHttp<JiraConfig>): HttpClient {
  return createHttpClient({ system: SYSTEM, baseUrl: ctx.config.baseUrl, auth: basicAuth({ system: SYSTEM, credentials: ctx.credentials }), extractFields });
}

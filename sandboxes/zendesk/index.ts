import {
  basicAuth, SlidingWindowLimiter, startSandbox, type NewRecord, type RunningSandbox, type SandboxDefinition, type SandboxOptions,
} from '../kit';
import { zendeskCatalog, zendeskCatalogDifferences } from './catalog';
import { badRequest, forStatus, rateLimited, unauthorized, zendeskError } from './errors';
import { incrementalRoutes } from './incremental';
import { JOBS, jobStatusRoute, presentJob } from './jobs';
import { presentTicket, presentUser, TICKETS, USERS } from './records';
import { ticketRoutes, userRoutes } from './routes';

/**
 * The Zendesk Support sandbox: REST API v2 tickets and users (reads, create_many / update_many /
 * destroy_many as background jobs polled through job_statuses, soft-deleted tickets and their
 * restore), cursor-based incremental exports, with HTTP Basic `{email}/token:{api_token}`.
 * README.md names the documentation pages it follows.
 */
export interface ZendeskSandboxOptions {
  email?: string;
  apiToken?: string;
  subdomain?: string;
  /** Job status polls until a job completes (the first polls answer "working"). Default 2. */
  jobPollsToComplete?: number;
  /** Enforce the incremental exports' own limit (10 requests a minute, 429 + Retry-After). Off by default. */
  incrementalExportLimit?: boolean | { limit: number; windowMs: number };
  /** Account-wide requests per minute (Team 200, Growth/Professional 400, Enterprise 700). Default 400. */
  requestsPerMinute?: number;
}

export const INCREMENTAL_EXPORT_LIMIT = { limit: 10, windowMs: 60_000 };

export function zendeskSandbox(options: ZendeskSandboxOptions = {}): SandboxDefinition {
  const email = options.email ?? 'agent@forge.example.com';
  const exportLimit = options.incrementalExportLimit === true ? INCREMENTAL_EXPORT_LIMIT : options.incrementalExportLimit || undefined;
  return {
    system: 'zendesk',
    objects: [TICKETS, USERS, JOBS],
    catalog: zendeskCatalog,
    catalogDifferences: zendeskCatalogDifferences,
    auth: basicAuth({
      username: `${email}/token`,
      password: options.apiToken,
      credentialsShape: ({ username, password }) => ({ email: username.replace(/\/token$/, ''), apiToken: password }),
    }),
    routes: [...ticketRoutes(), ...userRoutes(), ...incrementalRoutes(exportLimit ? new SlidingWindowLimiter(exportLimit) : undefined), jobStatusRoute(options.jobPollsToComplete ?? 2)],
    errors: {
      unauthorized: (failure) => unauthorized(failure),
      rateLimited: () => rateLimited(),
      notFound: () => zendeskError(404, 'InvalidEndpoint', 'Not found'),
      malformedBody: () => badRequest('InvalidJSON', 'The request body is not valid JSON'),
      forStatus: (status) => forStatus(status),
    },
    rateLimit: {
      limit: options.requestsPerMinute ?? 400,
      windowMs: 60_000,
      headers: (info) => ({ 'x-rate-limit': String(info.limit), 'x-rate-limit-remaining': String(info.remaining) }),
    },
    newId: (object, sequence) => (object === USERS ? String(3_800_000_000_000 + sequence) : String(sequence)),
    presentRecord: (object, record) => {
      if (object === TICKETS) return { ...presentTicket(record, ''), deleted: record.archived };
      if (object === USERS) return presentUser(record, '');
      return presentJob(record, '');
    },
    seedRecord: (object, input) => seed(object, input),
    config: (baseUrl) => ({ subdomain: options.subdomain ?? 'forge', baseUrl }),
  };
}

/** Seeds take the API's own attributes; `deleted: true` seeds a soft-deleted ticket or user. */
function seed(object: string, input: Record<string, unknown>): NewRecord {
  const { id, created_at, updated_at, deleted, ...fields } = input;
  const base = {
    ...(id !== undefined ? { id: String(id) } : {}),
    ...(typeof created_at === 'string' ? { createdAt: new Date(created_at).toISOString() } : {}),
    ...(typeof updated_at === 'string' ? { updatedAt: new Date(updated_at).toISOString() } : {}),
    ...(deleted === true ? { archived: true } : {}),
  };
  if (object === TICKETS) return { ...base, fields: { status: 'open', priority: null, type: null, tags: [], requester_id: 1_900_000_000_001, description: '', ...fields } };
  if (object === USERS) return { ...base, fields: { role: 'end-user', tags: [], ...fields, ...(typeof fields.email === 'string' ? { email: fields.email.toLowerCase() } : {}) } };
  return { ...base, fields };
}

export function startZendeskSandbox(options: ZendeskSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(zendeskSandbox(options), options);
}

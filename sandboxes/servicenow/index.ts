import { createHash } from 'node:crypto';
import { basicAuth, startSandbox, type RunningSandbox, type SandboxDefinition, type SandboxOptions } from '../kit';
import { batchRoute } from './batch';
import { servicenowCatalog, servicenowCatalogDifferences } from './catalog';
import { findTable, tables } from './dictionary';
import { forStatus, malformedBody, rateLimited, snError, unauthorized } from './errors';
import { Numbering, presentRow, seedRow } from './records';
import { tableRoutes } from './table-api';

/**
 * The ServiceNow sandbox: the Table API on incident, sys_user, one custom table (u_asset) and
 * sys_audit_delete, the Batch API, HTTP Basic, Data Policy refusals and rate limit rules (429 +
 * Retry-After). README.md names the documentation pages (Zurich, Australia) it follows.
 * Vendor documentation followed: https://www.servicenow.com/docs/r/api-reference/rest-apis/c_TableAPI.html (and the pages README.md lists).
 */
export interface ServiceNowSandboxOptions {
  username?: string;
  password?: string;
  instance?: string;
  /** Requests an hour of the sandbox's one rate limit rule (ServiceNow has no default: each instance sets rules). Default 5,000. */
  requestsPerHour?: number;
  /** Batch items serviced per batch request before the rest come back unserviced (the 30 s transaction quota). Default 1,000. */
  maxBatchItems?: number;
}

/** The sandbox's rate limit rule's sys_id (X-RateLimit-Rule). */
const RATE_LIMIT_RULE = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

export function servicenowSandbox(options: ServiceNowSandboxOptions = {}): SandboxDefinition {
  const numbering = new Numbering();
  const itemRoutes = tableRoutes(numbering);
  return {
    system: 'servicenow',
    objects: tables.map((t) => t.name),
    catalog: servicenowCatalog,
    catalogDifferences: servicenowCatalogDifferences,
    auth: basicAuth({ username: options.username ?? 'forge.integration', password: options.password }),
    routes: [...itemRoutes, batchRoute(itemRoutes, options.maxBatchItems ?? 1000)],
    errors: {
      unauthorized: (failure) => unauthorized(failure),
      rateLimited: () => rateLimited(),
      notFound: (req) => snError(400, 'Requested URI does not represent any resource', req.path),
      malformedBody: () => malformedBody(),
      forStatus: (status) => forStatus(status),
    },
    rateLimit: {
      limit: options.requestsPerHour ?? 5000,
      windowMs: 3_600_000,
      headers: (info) => ({
        'x-ratelimit-limit': String(info.limit),
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + info.retryAfterSeconds),
        'x-ratelimit-rule': RATE_LIMIT_RULE,
      }),
    },
    // sys_ids are 32 lower-case hex characters (a GUID without dashes).
    newId: (object, sequence) => createHash('md5').update(`${object}/${sequence}`).digest('hex'),
    presentRecord: (object, record) => presentRow(findTable(object)!, record),
    seedRecord: (object, input) => seedRow(object, input, numbering),
    config: (baseUrl) => ({ instance: options.instance ?? 'forge', baseUrl }),
  };
}

export function startServiceNowSandbox(options: ServiceNowSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(servicenowSandbox(options), options);
}

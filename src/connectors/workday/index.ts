import type { RateLimit } from '../../platform/rate-budget/limits';
import { defineConnector } from '../kit';
import { WorkdayApi } from './api';
import { SYSTEM, workdayAuth, workdayAuthorization, workdayConfigSchema, workdayHttp } from './auth';
import { workdayDestination } from './destination';
import { workdayObjects, workers } from './objects';
import { workdaySource } from './source';

/**
 * Workday publishes no REST request limit; tenants answer 429 under load. Ten requests a second
 * per connection keeps a load well inside what integration guides report a tenant bears.
 */
const workdayRateLimits: RateLimit[] = [{ requests: 10, perSeconds: 1 }];

/**
 * Workday (preview): payroll inputs (Payroll v2, written and rolled back) and workers (Common v1,
 * read-only) over the REST API of one tenant, OAuth 2.0 refresh token with rotation, updatedFrom/
 * updatedTo capture. sandboxes/workday/README.md lists the pages followed and what is unconfirmed.
 */
export const workdayConnector = defineConnector({
  id: SYSTEM,
  displayName: 'Workday',
  apiVersion: 'REST API: Payroll v2 (payrollInputs), Common v1 (workers)',
  auth: workdayAuth,
  authorization: workdayAuthorization,
  config: workdayConfigSchema,
  objects: workdayObjects,
  rateLimits: workdayRateLimits,
  http: workdayHttp,
  destination: (ctx) => workdayDestination(new WorkdayApi(ctx.http, ctx.config)),
  source: (ctx) => workdaySource(new WorkdayApi(ctx.http, ctx.config)),
  /** A token, and a first worker read with it: the API client's scopes reach the tenant's data. */
  check: async (ctx) => { await new WorkdayApi(ctx.http, ctx.config).page(workers, {}, 0, 1); },
});

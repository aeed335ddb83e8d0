import { defineConnector } from '../kit';
import { ZendeskApi } from './api';
import { zendeskAuth, zendeskConfigSchema, zendeskHttp } from './auth';
import { zendeskDestination } from './destination';
import { zendeskObjects } from './objects';
import { zendeskSource } from './source';
import { remainingHeader, type RateLimit } from '../../platform/rate-budget';

/**
 * Zendesk Support API limits (developer.zendesk.com/api-reference/introduction/rate-limits): 400
 * requests a minute on Suite Growth and Professional (200 on Team, 700 on Enterprise: declared on
 * the connection), reported in X-Rate-Limit-Remaining.
 */
const zendeskRateLimits: RateLimit[] = [{ requests: 400, perSeconds: 60, remaining: remainingHeader('X-Rate-Limit-Remaining') }];

/** Zendesk Support (tickets, users): REST API v2 with `{email}/token` Basic auth, jobs for writes, incremental exports. */
export const zendeskConnector = defineConnector({
  id: 'zendesk',
  displayName: 'Zendesk Support',
  apiVersion: 'Zendesk Support REST API v2',
  auth: zendeskAuth,
  config: zendeskConfigSchema,
  objects: zendeskObjects,
  rateLimits: zendeskRateLimits,
  http: zendeskHttp,
  destination: (ctx) => zendeskDestination(new ZendeskApi(ctx.http), { heartbeat: ctx.heartbeat }),
  source: (ctx) => zendeskSource(new ZendeskApi(ctx.http)),
  check: (ctx) => new ZendeskApi(ctx.http).probe(),
});

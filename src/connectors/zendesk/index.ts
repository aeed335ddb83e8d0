import { defineConnector } from '../kit';
import { ZendeskApi } from './api';
import { zendeskAuth, zendeskConfigSchema, zendeskHttp } from './auth';
import { zendeskDestination } from './destination';
import { zendeskObjects } from './objects';
import { zendeskSource } from './source';

/** Zendesk Support (tickets, users): REST API v2 with `{email}/token` Basic auth, jobs for writes, incremental exports. */
export const zendeskConnector = defineConnector({
  id: 'zendesk',
  displayName: 'Zendesk Support',
  auth: zendeskAuth,
  config: zendeskConfigSchema,
  objects: zendeskObjects,
  http: zendeskHttp,
  destination: (ctx) => zendeskDestination(new ZendeskApi(ctx.http), { heartbeat: ctx.heartbeat }),
  source: (ctx) => zendeskSource(new ZendeskApi(ctx.http)),
  check: (ctx) => new ZendeskApi(ctx.http).probe(),
});

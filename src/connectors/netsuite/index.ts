import { defineConnector, type KitContext } from '../kit';
import { NetSuiteApi } from './api';
import { netsuiteAuth, netsuiteConfigSchema, netsuiteHttp, type NetSuiteConfig } from './auth';
import { netsuiteDestination } from './destination';
import { netsuiteObjects } from './objects';
import { netsuiteSource } from './source';

function api(ctx: KitContext<NetSuiteConfig>): NetSuiteApi {
  return new NetSuiteApi(ctx.http, { respondAsync: ctx.config.respondAsync, heartbeat: ctx.heartbeat });
}

/**
 * NetSuite (customer, salesOrder): Token-Based Authentication (OAuth 1.0a HMAC-SHA256, realm =
 * account id), REST record service v1 one record per request (optionally as async jobs), reads and
 * capture through SuiteQL, deletes from the deletedrecord table.
 */
export const netsuiteConnector = defineConnector({
  id: 'netsuite',
  displayName: 'NetSuite',
  apiVersion: 'SuiteTalk REST web services: record service v1, SuiteQL query service v1 (NetSuite 2025.1)',
  auth: netsuiteAuth,
  config: netsuiteConfigSchema,
  objects: netsuiteObjects,
  http: netsuiteHttp,
  destination: (ctx) => netsuiteDestination(api(ctx), ctx.config),
  source: (ctx) => netsuiteSource(api(ctx), { timeZone: ctx.config.timeZone }),
  check: (ctx) => api(ctx).probe(),
});

import { defineConnector, type KitContext } from '../kit';
import { SalesforceApi } from './api';
import { salesforceAuth, salesforceAuthorization, salesforceConfigSchema, salesforceHttp, type SalesforceConfig } from './auth';
import { salesforceDestination } from './destination';
import { customObjectSpec, salesforceObjects } from './objects';
import { salesforceCdcSource } from './cdc-source';
import { salesforceSource } from './source';
import { StreamingClient } from './streaming';
import type { RateLimit } from '../../platform/rate-budget';

function api(ctx: KitContext<SalesforceConfig>): SalesforceApi {
  return new SalesforceApi(ctx.http, ctx.config.apiVersion);
}

/**
 * Salesforce's API request allocation (Salesforce Developer Limits and Allocations Quick Reference):
 * Enterprise Edition orgs get 100,000 requests per rolling 24 hours (plus 1,000 per user licence).
 * Sforce-Limit-Info (api-usage=used/max) reports it on every REST answer; the sandbox reports a burst
 * window in that header instead (its README), so the header is not read here (sforceApiUsage can).
 * An org with more licences declares its allocation on the connection.
 */
const salesforceRateLimits: RateLimit[] = [{ requests: 100_000, perSeconds: 86_400, burst: 50_000, appliesTo: (req) => (isStreamingRequest(req.path) ? undefined : 'api') }];

/**
 * The Streaming API's CometD messages do not count as API requests: its own limits are the event
 * delivery allocation and concurrent clients (Streaming API Developer Guide, "Streaming API
 * Allocations"), which the org answers with errors the source reads (streaming.ts).
 */
function isStreamingRequest(path: string): boolean {
  return path.startsWith('/cometd/');
}

/**
 * Salesforce (Account, Contact, Opportunity and custom objects Name__c): OAuth 2.0 refresh token
 * with instance_url, REST API v62.0 sObject Collections, SOQL capture on SystemModstamp, and the
 * recycle bin (SOAP undelete) for rollbacks of deletes.
 */
export const salesforceConnector = defineConnector({
  id: 'salesforce',
  displayName: 'Salesforce',
  apiVersion: 'REST API v62.0 by default (config.apiVersion pins another)',
  auth: salesforceAuth,
  authorization: salesforceAuthorization,
  config: salesforceConfigSchema,
  objects: salesforceObjects,
  customObject: customObjectSpec,
  rateLimits: salesforceRateLimits,
  http: salesforceHttp,
  destination: (ctx) => salesforceDestination(api(ctx)),
  source: (ctx) => (ctx.config.changeDataCapture
    ? salesforceCdcSource(api(ctx), new StreamingClient(ctx.http, ctx.config.apiVersion))
    : salesforceSource(api(ctx))),
  check: (ctx) => api(ctx).probe(),
});

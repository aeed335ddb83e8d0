import { defineConnector, type KitContext } from '../kit';
import { SalesforceApi } from './api';
import { salesforceAuth, salesforceAuthorization, salesforceConfigSchema, salesforceHttp, type SalesforceConfig } from './auth';
import { salesforceDestination } from './destination';
import { customObjectSpec, salesforceObjects } from './objects';
import { salesforceSource } from './source';
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
const salesforceRateLimits: RateLimit[] = [{ requests: 100_000, perSeconds: 86_400, burst: 50_000 }];

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
  source: (ctx) => salesforceSource(api(ctx)),
  check: (ctx) => api(ctx).probe(),
});

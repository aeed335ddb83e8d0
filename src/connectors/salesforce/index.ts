import { defineConnector, type KitContext } from '../kit';
import { SalesforceApi } from './api';
import { salesforceAuth, salesforceConfigSchema, salesforceHttp, type SalesforceConfig } from './auth';
import { salesforceDestination } from './destination';
import { customObjectSpec, salesforceObjects } from './objects';
import { salesforceSource } from './source';

function api(ctx: KitContext<SalesforceConfig>): SalesforceApi {
  return new SalesforceApi(ctx.http, ctx.config.apiVersion);
}

/**
 * Salesforce (Account, Contact, Opportunity and custom objects Name__c): OAuth 2.0 refresh token
 * with instance_url, REST API v62.0 sObject Collections, SOQL capture on SystemModstamp, and the
 * recycle bin (SOAP undelete) for rollbacks of deletes.
 */
export const salesforceConnector = defineConnector({
  id: 'salesforce',
  displayName: 'Salesforce',
  auth: salesforceAuth,
  config: salesforceConfigSchema,
  objects: salesforceObjects,
  customObject: customObjectSpec,
  http: salesforceHttp,
  destination: (ctx) => salesforceDestination(api(ctx)),
  source: (ctx) => salesforceSource(api(ctx)),
  check: (ctx) => api(ctx).probe(),
});

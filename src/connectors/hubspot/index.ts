import { defineConnector } from '../kit';
import { hubspotAuth, hubspotAuthorization, hubspotConfigSchema, hubspotHttp } from './auth';
import { CrmApi } from './crm-api';
import { hubspotDestination } from './destination';
import { hubspotObjects } from './objects';
import { hubspotSource } from './source';
import { remainingHeader, type RateLimit } from '../../platform/rate-budget';

/**
 * HubSpot's usage guidelines (developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines):
 * Professional and Enterprise apps get 190 requests per 10 seconds (X-HubSpot-RateLimit-Remaining on
 * every answer) and 625,000 a day per account (Professional; resets at midnight). Half the day's
 * allowance may go at the burst rate, the rest is spread over the day.
 */
const hubspotRateLimits: RateLimit[] = [
  { requests: 190, perSeconds: 10, remaining: remainingHeader('X-HubSpot-RateLimit-Remaining') },
  { requests: 625_000, perSeconds: 86_400, burst: 312_500, remaining: remainingHeader('X-HubSpot-RateLimit-Daily-Remaining') },
];

/** HubSpot CRM (contacts, companies, deals): OAuth 2.0 refresh token, CRM v3 object API. */
export const hubspotConnector = defineConnector({
  id: 'hubspot',
  displayName: 'HubSpot',
  apiVersion: 'CRM API v3 (objects, batch, search), OAuth v1 token endpoint',
  auth: hubspotAuth,
  authorization: hubspotAuthorization,
  config: hubspotConfigSchema,
  objects: hubspotObjects,
  rateLimits: hubspotRateLimits,
  // Records by id (batch archive/update/create): undoing one never moves another.
  independentRollback: true,
  http: hubspotHttp,
  destination: (ctx) => hubspotDestination(new CrmApi(ctx.http)),
  source: (ctx) => hubspotSource(new CrmApi(ctx.http)),
  check: (ctx) => new CrmApi(ctx.http).probe(),
});

import { defineConnector } from '../kit';
import { hubspotAuth, hubspotConfigSchema, hubspotHttp } from './auth';
import { CrmApi } from './crm-api';
import { hubspotDestination } from './destination';
import { hubspotObjects } from './objects';
import { hubspotSource } from './source';

/** HubSpot CRM (contacts, companies, deals): OAuth 2.0 refresh token, CRM v3 object API. */
export const hubspotConnector = defineConnector({
  id: 'hubspot',
  displayName: 'HubSpot',
  auth: hubspotAuth,
  config: hubspotConfigSchema,
  objects: hubspotObjects,
  http: hubspotHttp,
  destination: (ctx) => hubspotDestination(new CrmApi(ctx.http)),
  source: (ctx) => hubspotSource(new CrmApi(ctx.http)),
  check: (ctx) => new CrmApi(ctx.http).probe(),
});

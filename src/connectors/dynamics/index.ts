import { defineConnector, type KitContext } from '../kit';
import { DataverseApi } from './api';
import { API_VERSION, dynamicsAuth, dynamicsConfigSchema, dynamicsHttp, servicePath, type DynamicsConfig } from './auth';
import { dynamicsDestination } from './destination';
import { dataverseObjects } from './objects';
import { dynamicsSource } from './source';

function api(ctx: KitContext<DynamicsConfig>): DataverseApi {
  return new DataverseApi(ctx.http, servicePath(ctx.config));
}

/**
 * Dynamics 365 / Dataverse (accounts, contacts): OAuth 2.0 client credentials (app-only, per
 * tenant, <environment>/.default), Web API v9.2 with $batch changesets, ETags and alternate-key
 * upserts, capture by change tracking with delete tombstones.
 */
export const dynamicsConnector = defineConnector({
  id: 'dynamics',
  displayName: 'Dynamics 365 (Dataverse)',
  apiVersion: `Dataverse Web API ${API_VERSION} (OData v4)`,
  auth: dynamicsAuth,
  config: dynamicsConfigSchema,
  objects: dataverseObjects,
  http: dynamicsHttp,
  destination: (ctx) => dynamicsDestination(api(ctx)),
  source: (ctx) => dynamicsSource(api(ctx)),
  check: (ctx) => api(ctx).probe(),
});

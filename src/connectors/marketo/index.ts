import { defineConnector } from '../kit';
import { MarketoApi } from './api';
import { marketoAuth, marketoConfigSchema, marketoHttp } from './auth';
import { marketoDestination } from './destination';
import { marketoObjects } from './objects';
import { marketoSource } from './source';

/** Marketo Engage (leads, companies): REST API with client-credentials tokens, errors inside HTTP 200, capture from the Activities API. */
export const marketoConnector = defineConnector({
  id: 'marketo',
  displayName: 'Marketo Engage',
  apiVersion: 'Marketo Engage REST API v1 (identity endpoint for tokens)',
  auth: marketoAuth,
  config: marketoConfigSchema,
  objects: marketoObjects,
  http: marketoHttp,
  destination: (ctx) => marketoDestination(new MarketoApi(ctx.http)),
  source: (ctx) => marketoSource(new MarketoApi(ctx.http)),
  check: async (ctx) => { await new MarketoApi(ctx.http).pagingToken(new Date()); },
});

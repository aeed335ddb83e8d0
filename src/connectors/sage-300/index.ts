import { defineConnector } from '../kit';
import { Sage300Api } from './api';
import { sage300Auth, sage300ConfigSchema, sage300Http } from './auth';
import { sage300Destination } from './destination';
import { resources, sage300Objects } from './objects';
import { sage300Source } from './source';

/**
 * Sage 300 (AR customers, IC items) through the Sage 300 Web API, OData v4 on one company, HTTP
 * Basic. Writes one entity a request (POST, PATCH, DELETE), reads by key, capture by
 * DateLastMaintained. NOTES.md lists the pages followed. No `rateLimits`: the Web API runs on the
 * customer's own IIS server and documents no limit.
 */
export const sage300Connector = defineConnector({
  id: 'sage-300',
  displayName: 'Sage 300',
  apiVersion: 'Sage 300 Web API v1.0',
  auth: sage300Auth,
  config: sage300ConfigSchema,
  objects: sage300Objects,
  http: sage300Http,
  destination: (ctx) => sage300Destination(new Sage300Api(ctx.http)),
  source: (ctx) => sage300Source(new Sage300Api(ctx.http)),
  check: (ctx) => new Sage300Api(ctx.http).probe(resources[0]),
});

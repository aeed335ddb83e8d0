import { defineConnector } from '../kit';
import { quickbooksAuth, quickbooksAuthorization, quickbooksConfigSchema, quickbooksHttp } from './auth';
import { quickbooksDestination } from './destination';
import { MINOR_VERSION, quickbooksObjects } from './objects';
import { QboApi } from './qbo-api';
import { quickbooksSource } from './source';
import type { RateLimit } from '../../platform/rate-budget';

/** QuickBooks Online "API call limits and throttles": 500 requests per minute per realm. */
const quickbooksRateLimits: RateLimit[] = [{ requests: 500, perSeconds: 60 }];

/** QuickBooks Online (Customer, Item, Invoice): Intuit OAuth 2.0, Accounting API v3 at minor version 75, batch writes, CDC capture. */
export const quickbooksConnector = defineConnector({
  id: 'quickbooks',
  displayName: 'QuickBooks Online',
  apiVersion: `Accounting API v3, minorversion ${MINOR_VERSION}`,
  auth: quickbooksAuth,
  authorization: quickbooksAuthorization,
  config: quickbooksConfigSchema,
  objects: quickbooksObjects,
  rateLimits: quickbooksRateLimits,
  http: quickbooksHttp,
  destination: (ctx) => quickbooksDestination(new QboApi(ctx.http, ctx.config.realmId)),
  source: (ctx) => quickbooksSource(new QboApi(ctx.http, ctx.config.realmId)),
  check: (ctx) => new QboApi(ctx.http, ctx.config.realmId).probe(),
});

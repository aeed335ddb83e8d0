import { shopifyAuthorization } from './app-install';
import { defineConnector } from '../kit';
import { ShopifyApi, shopifyGraphql, shopifyPacer } from './api';
import { API_VERSION, shopifyAuth, shopifyConfigSchema, shopifyHttp } from './auth';
import { shopifyDestination } from './destination';
import { shopifyObjects } from './objects';
import { shopifySource } from './source';

/**
 * Shopify (products with their variants, customers): Admin GraphQL API 2026-07 with an Admin API
 * access token, paced by the calculated query cost Shopify reports, capture by updated_at and
 * deletion events.
 */
export const shopifyConnector = defineConnector({
  id: 'shopify',
  displayName: 'Shopify',
  apiVersion: `Admin GraphQL API ${API_VERSION}`,
  auth: shopifyAuth,
  authorization: shopifyAuthorization,
  config: shopifyConfigSchema,
  objects: shopifyObjects,
  http: shopifyHttp,
  destination: (ctx) => shopifyDestination(new ShopifyApi(shopifyGraphql(ctx.http, shopifyPacer(ctx)))),
  source: (ctx) => shopifySource(new ShopifyApi(shopifyGraphql(ctx.http, shopifyPacer(ctx)))),
  check: (ctx) => new ShopifyApi(shopifyGraphql(ctx.http, shopifyPacer(ctx))).probe(),
});

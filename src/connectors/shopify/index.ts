import { shopifyAuthorization } from './app-install';
import { defineConnector } from '../kit';
import { ShopifyApi, shopifyGraphql } from './api';
import { API_VERSION, shopifyAuth, shopifyConfigSchema, shopifyHttp } from './auth';
import { shopifyCostLimit } from './cost-limit';
import { shopifyDestination } from './destination';
import { shopifyObjects } from './objects';
import { shopifySource } from './source';

/**
 * Shopify (products with their variants, customers): Admin GraphQL API 2026-07 with an Admin API
 * access token, drawing each query's calculated cost from the connection's request budget (corrected
 * by the cost Shopify reports), capture by updated_at and deletion events.
 */
export const shopifyConnector = defineConnector({
  id: 'shopify',
  displayName: 'Shopify',
  apiVersion: `Admin GraphQL API ${API_VERSION}`,
  auth: shopifyAuth,
  authorization: shopifyAuthorization,
  config: shopifyConfigSchema,
  objects: shopifyObjects,
  costLimit: shopifyCostLimit,
  http: shopifyHttp,
  destination: (ctx) => shopifyDestination(new ShopifyApi(shopifyGraphql(ctx.http))),
  source: (ctx) => shopifySource(new ShopifyApi(shopifyGraphql(ctx.http))),
  check: (ctx) => new ShopifyApi(shopifyGraphql(ctx.http)).probe(),
});

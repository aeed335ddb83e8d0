import { z } from 'zod';
import { apiKeyAuth, apiKeyCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import { egressUrl } from '../../platform/network';
import type { AuthSpec } from '../contract';
import type { KitContextWithoutHttp } from '../kit';

export const SYSTEM = 'shopify';
/** The Admin GraphQL API version every document is written for and validated against. */
export const API_VERSION = '2026-07';
export const GRAPHQL_PATH = `/admin/api/${API_VERSION}/graphql.json`;

/** The shop's admin origin, https://{shop}.myshopify.com. */
export const shopifyConfigSchema = z.object({ baseUrl: egressUrl() });
export type ShopifyConfig = z.infer<typeof shopifyConfigSchema>;

/** An Admin API access token (custom app or OAuth offline token, shpat_...): { apiKey }. */
export const shopifyAuth: AuthSpec = { scheme: 'api-key', credentials: apiKeyCredentialsSchema };

/** The connection's HTTP client: `X-Shopify-Access-Token: <token>`, read from the store per request. */
export function shopifyHttp(ctx: KitContextWithoutHttp<ShopifyConfig>): HttpClient {
  const auth = apiKeyAuth({ system: SYSTEM, credentials: ctx.credentials, placement: { in: 'header', name: 'x-shopify-access-token' } });
  return createHttpClient({ system: SYSTEM, baseUrl: ctx.config.baseUrl, auth, extractCode: errorsText });
}

/** Shopify's non-GraphQL error bodies: `{ errors: "..." }` or `{ errors: { query: "..." } }`. */
function errorsText(body: unknown): string | undefined {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return typeof errors === 'string' ? errors : undefined;
}

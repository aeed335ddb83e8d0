import { z } from 'zod';
import { egressUrl } from '../../platform/network';
import { apiKeyAuth, apiKeyCredentialsSchema } from '../../platform/auth';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthSpec } from '../contract';
import type { KitContextWithoutHttp } from '../kit';
import { extractCode, extractFields } from './errors';

export const SYSTEM = 'stripe';

export const stripeConfigSchema = z.object({ baseUrl: egressUrl('https://api.stripe.com') });
export type StripeConfig = z.infer<typeof stripeConfigSchema>;

/** A secret API key (sk_live_... / sk_test_... or a restricted rk_...): { apiKey }. */
export const stripeAuth: AuthSpec = { scheme: 'api-key', credentials: apiKeyCredentialsSchema };

/** The connection's HTTP client: `Authorization: Bearer <secret key>`, read from the store per request. */
export function stripeHttp(ctx: KitContextWithoutHttp<StripeConfig>): HttpClient {
  const { baseUrl } = ctx.config;
  const auth = apiKeyAuth({ system: SYSTEM, credentials: ctx.credentials, placement: { in: 'header', name: 'authorization', prefix: 'Bearer ' } });
  return createHttpClient({ system: SYSTEM, baseUrl, auth, extractFields, extractCode });
}

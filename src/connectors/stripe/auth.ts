import { z } from 'zod';
import { apiKeyAuth, apiKeyCredentialsSchema } from '../../platform/auth';
import { ConnectorError } from '../../platform/errors';
import { createHttpClient, type HttpClient } from '../../platform/http';
import type { AuthSpec, ConnectorContext } from '../contract';
import { extractFields } from './errors';

export const SYSTEM = 'stripe';

export const stripeConfigSchema = z.object({ baseUrl: z.string().url().default('https://api.stripe.com') });
export type StripeConfig = z.infer<typeof stripeConfigSchema>;

/** A secret API key (sk_live_... / sk_test_... or a restricted rk_...): { apiKey }. */
export const stripeAuth: AuthSpec = { scheme: 'api-key', credentials: apiKeyCredentialsSchema };

export function stripeConfig(config: Record<string, unknown>): StripeConfig {
  const parsed = stripeConfigSchema.safeParse(config);
  if (!parsed.success) {
    throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `stripe config is invalid: ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}` });
  }
  return parsed.data;
}

/** The connection's HTTP client: `Authorization: Bearer <secret key>`, read from the store per request. */
export function stripeHttp(ctx: Omit<ConnectorContext, 'http'>): HttpClient {
  const { baseUrl } = stripeConfig(ctx.config);
  const auth = apiKeyAuth({ system: SYSTEM, credentials: ctx.credentials, placement: { in: 'header', name: 'authorization', prefix: 'Bearer ' } });
  return createHttpClient({ system: SYSTEM, baseUrl, auth, extractFields });
}

import { defineConnector } from '../kit';
import { stripeAuth, stripeConfigSchema, stripeHttp } from './auth';
import { stripeDestination } from './destination';
import { STRIPE_API_VERSION, stripeObjects } from './objects';
import { stripeSource } from './source';
import { StripeApi } from './stripe-api';
import type { RateLimit } from '../../platform/rate-budget';

/**
 * Stripe's rate limits (docs.stripe.com/rate-limits): 100 operations per second in live mode
 * (25 in test mode: a test-mode connection declares that on itself). Lookups fan out several
 * searches at once, so a tenth of the second's allowance may leave together.
 */
const stripeRateLimits: RateLimit[] = [{ requests: 100, perSeconds: 1, burst: 10 }];

/** Stripe (customers, products, prices, draft invoices): secret API key, one object per form-encoded call, Events API capture. */
export const stripeConnector = defineConnector({
  id: 'stripe',
  displayName: 'Stripe',
  apiVersion: `REST API v1, Stripe-Version ${STRIPE_API_VERSION}`,
  auth: stripeAuth,
  config: stripeConfigSchema,
  objects: stripeObjects,
  rateLimits: stripeRateLimits,
  http: stripeHttp,
  destination: (ctx) => stripeDestination(new StripeApi(ctx.http)),
  source: (ctx) => stripeSource(new StripeApi(ctx.http)),
  check: (ctx) => new StripeApi(ctx.http).probe(),
});

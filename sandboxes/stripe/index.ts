import { defaultSeedRecord, staticToken, startSandbox, type RunningSandbox, type SandboxDefinition, type SandboxOptions } from '../kit';
import { resourceOf, resources } from './answer';
import { stripeCatalog, stripeCatalogDifferences } from './catalog';
import { stripeSpec } from './spec';
import { forStatus, rateLimited, stripeError, unauthorized, unrecognizedUrl } from './errors';
import { EVENTS, presentEvent } from './events';
import { IDEMPOTENCY_KEYS } from './idempotency';
import { present } from './resources';
import { stripeRoutes } from './routes';
import { DEFAULT_SEARCH_LAG_MS } from './search-index';

/**
 * The Stripe sandbox: customers, products, prices, draft invoices with their invoice items, the
 * Events API and the Search API (with its indexing lag), with a secret API key (Bearer),
 * form-encoded bodies, Stripe's idempotency layer and API versions (versions.ts). README.md names
 * the documentation pages and API version it follows.
 */
export interface StripeSandboxOptions {
  /** The secret key the sandbox accepts (random sk_test_... by default). */
  apiKey?: string;
  /** How long a write takes to become searchable (default 60 s, Stripe's documented bound; 0: at once). */
  searchLagMs?: number;
}

/** Stripe's test-mode limit: 25 requests per second (live mode: 100). */
export const stripeTestModeRateLimit = { limit: 25, windowMs: 1000 };

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIXES: Record<string, string> = { ...Object.fromEntries(resources.map((r) => [r.collection, r.idPrefix])), [EVENTS]: 'evt' };

/** Stripe-shaped ids (cus_..., prod_..., price_..., in_..., evt_...): the prefix and 14 base-62 characters. */
export function stripeId(object: string, sequence: number): string {
  let n = sequence;
  let digits = '';
  do {
    digits = ID_ALPHABET[n % 62] + digits;
    n = Math.floor(n / 62);
  } while (n > 0);
  return `${PREFIXES[object] ?? 'obj'}_Sbx${digits.padStart(11, '0')}`;
}

export function stripeSandbox(options: StripeSandboxOptions = {}): SandboxDefinition {
  return {
    system: 'stripe',
    objects: [...resources.map((r) => r.collection), EVENTS, IDEMPOTENCY_KEYS],
    catalog: stripeCatalog,
    catalogDifferences: stripeCatalogDifferences,
    spec: stripeSpec,
    auth: staticToken({ token: options.apiKey ?? `sk_test_${randomKey()}`, header: 'bearer', credentialsShape: (apiKey) => ({ apiKey }) }),
    routes: stripeRoutes({ searchLagMs: options.searchLagMs ?? DEFAULT_SEARCH_LAG_MS }),
    errors: {
      unauthorized: (failure) => unauthorized(failure),
      rateLimited: () => rateLimited(),
      notFound: (req) => unrecognizedUrl(req.method, req.path),
      malformedBody: () => stripeError(400, { message: 'Invalid request body: the body could not be parsed as application/x-www-form-urlencoded.' }),
      forStatus: (status) => forStatus(status),
    },
    rateLimit: stripeTestModeRateLimit,
    newId: stripeId,
    presentRecord: (object, record) => {
      const spec = resourceOf(object);
      if (spec) return present(spec, record);
      if (object === EVENTS) return presentEvent(record);
      return { id: record.id, ...record.fields };
    },
    seedRecord: (object, input) => {
      const { deleted, ...rest } = input;
      const seeded = defaultSeedRecord(object, rest);
      const isResource = resourceOf(object) !== undefined;
      return { ...seeded, ...(deleted === true ? { archived: true } : {}), fields: isResource ? { metadata: {}, ...seeded.fields } : seeded.fields };
    },
    config: (baseUrl) => ({ baseUrl }),
  };
}

function randomKey(): string {
  let key = '';
  for (let i = 0; i < 24; i++) key += ID_ALPHABET[Math.floor(Math.random() * 62)];
  return key;
}

export function startStripeSandbox(options: StripeSandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(stripeSandbox(options), options);
}

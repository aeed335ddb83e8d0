import { introspectionSchema, randomSecret, startSandbox, staticToken, type RunningSandbox, type SandboxDefinition, type SandboxOptions } from '../kit';
import { CostBucket, type BucketSize } from './bucket';
import { shopifyCatalog, shopifyCatalogDifferences } from './catalog';
import { CUSTOMERS, customerMutations, customerQueries } from './customers';
import { DELETION_EVENTS, deletionEventQueries } from './deletion-events';
import { graphqlRoute } from './endpoint';
import { appInstall } from './app-install';
import { forStatus, unauthorized } from './errors';
import { PRODUCTS, productMutations, productQueries, seedProduct, type SubIds } from './products';

/**
 * The Shopify sandbox: the Admin GraphQL API, version 2026-07, for products (variants nested) and
 * customers, with an Admin API access token in X-Shopify-Access-Token. Documents are validated
 * against the published introspection schema and executed by graphql-js; calculated query cost
 * and the leaky bucket answer THROTTLED inside HTTP 200. README.md names the documentation pages.
 * Vendor documentation followed: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits (and the pages README.md lists).
 */
export const API_VERSION = '2026-07';
export const GRAPHQL_PATH = `/admin/api/${API_VERSION}/graphql.json`;
export const SCHEMA_FILE = 'admin-graphql-2026-07.introspection.json.gz';

/**
 * Standard plan: "100 points/second" (shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits);
 * the page gives no bucket size for it: 2000 is what throttleStatus.maximumAvailable reports on
 * stores with that restore rate.
 */
export const STANDARD_BUCKET: BucketSize = { maximumAvailable: 2000, restoreRate: 100 };

export interface ShopifySandboxOptions {
  bucket?: BucketSize;
  accessToken?: string;
  /** The app installed by consent (/admin/oauth/authorize): its client id and secret (random when absent). */
  appClientId?: string;
  appClientSecret?: string;
}

const GID_TYPES: Record<string, string> = { [PRODUCTS]: 'Product', [CUSTOMERS]: 'Customer', [DELETION_EVENTS]: 'DeletionEvent' };

export function shopifySandbox(options: ShopifySandboxOptions = {}): SandboxDefinition {
  const published = { dir: 'shopify', file: SCHEMA_FILE };
  const schema = introspectionSchema(published.dir, published.file);
  const bucket = new CostBucket(options.bucket ?? STANDARD_BUCKET);
  let subSequence = 40_000_000_000;
  const subIds: SubIds = (type) => `gid://shopify/${type}/${++subSequence}`;
  return {
    system: 'shopify',
    objects: [PRODUCTS, CUSTOMERS, DELETION_EVENTS],
    catalog: shopifyCatalog,
    catalogDifferences: shopifyCatalogDifferences,
    graphqlSchema: published,
    // An Admin API access token of a custom app: shpat_ and 32 hex characters on a real store.
    auth: staticToken({
      header: 'x-shopify-access-token',
      token: options.accessToken ?? randomSecret('shpat_'),
      appInstall: appInstall(options.appClientId ?? randomSecret('sbx-shopify-app-', 12), options.appClientSecret ?? randomSecret('shpss_')),
    }),
    newId: (object, sequence) => `gid://shopify/${GID_TYPES[object]}/${sequence}`,
    firstSequence: 8_000_000_001,
    routes: [graphqlRoute({
      path: GRAPHQL_PATH,
      schema,
      bucket,
      root: (ctx) => {
        const products = productQueries(ctx);
        const customers = customerQueries(ctx);
        return {
          product: products.product, productByIdentifier: products.productByIdentifier, products: products.products,
          customer: customers.customer, customerByIdentifier: customers.customerByIdentifier, customers: customers.customers,
          ...deletionEventQueries(ctx),
          nodes: ({ ids }: { ids: string[] }) => ids.map((id) => products.productNode(id) ?? customers.customerNode(id)),
          shop: () => ({ __typename: 'Shop', id: 'gid://shopify/Shop/1', name: 'Forgeworks Sandbox', myshopifyDomain: 'forgeworks-sandbox.myshopify.com' }),
          ...productMutations(ctx, subIds),
          ...customerMutations(ctx),
        };
      },
    })],
    errors: {
      unauthorized: (failure) => unauthorized(failure),
      rateLimited: () => forStatus(429),
      notFound: () => forStatus(404),
      malformedBody: () => ({ status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } }),
      forStatus: (status) => forStatus(status),
    },
    presentRecord: (_object, record) => ({ id: record.id, createdAt: record.createdAt, updatedAt: record.updatedAt, ...record.fields }),
    seedRecord: (object, input) => {
      const { id, createdAt, updatedAt, ...fields } = input;
      const stamps = { ...(typeof createdAt === 'string' ? { createdAt } : {}), ...(typeof updatedAt === 'string' ? { updatedAt } : {}) };
      const own = typeof id === 'string' ? { id } : {};
      if (object === PRODUCTS) return { ...own, ...stamps, fields: seedProduct(fields, subIds) };
      if (object === CUSTOMERS) {
        return { ...own, ...stamps, fields: { firstName: null, lastName: null, email: null, phone: null, note: null, tags: [], locale: 'en', taxExempt: false, ...fields } };
      }
      return { ...own, ...stamps, fields };
    },
    config: (baseUrl) => ({ baseUrl }),
  };
}

export function startShopifySandbox(options: ShopifySandboxOptions & SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(shopifySandbox(options), options);
}

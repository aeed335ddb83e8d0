import { Pool } from 'pg';
import { buildConnectorContext } from '../../src/connectors/context';
import type { ConnectorDefinition } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { ShopifyApi, shopifyGraphql } from '../../src/connectors/shopify/api';
import type { CostExtension } from '../../src/connectors/shopify/cost-limit';
import { isConnectorError } from '../../src/platform/errors';
import { RequestBudgetStore } from '../../src/platform/rate-budget';
import type { RunningSandbox } from '../../sandboxes/kit';
import { GRAPHQL_PATH, startShopifySandbox } from '../../sandboxes/shopify';
import { connectToSandbox, InMemoryCredentialStore } from '../helpers/sandbox-connection';
import { testStack, uniqueName } from '../helpers/stack';

/**
 * Shopify's calculated query cost inside the request budget (issue 19 item 4): a store whose
 * bucket holds 100 points and restores 50 a second, customers created one per call (10 points
 * each). Separate "processes" (each with its own Postgres pool and budget client) share the
 * connection's bucket of points; the sandbox's answers (extensions.cost) are what is counted.
 */
const STORE_BUCKET = { maximumAvailable: 100, restoreRate: 50 };
const WRITE_COST = 10;

const shopify = findConnector('shopify')!;
/** The connector as a connection on this store's plan knows it: the bucket's size and restore rate. */
const onThisPlan: ConnectorDefinition = {
  ...shopify,
  costLimit: { ...shopify.costLimit!, maximumAvailable: STORE_BUCKET.maximumAvailable, restorePerSecond: STORE_BUCKET.restoreRate },
};

interface Answer { receivedAt: number; throttled: boolean; charged: number; currentlyAvailable: number }

/** Every GraphQL answer of the sandbox, in order: when the query arrived, what it was charged, what was left. */
function answers(sb: RunningSandbox): Answer[] {
  const log = sb.requests.list();
  return sb.exchanges().flatMap((x, i) => {
    if (x.path !== GRAPHQL_PATH) return [];
    const body = x.responseBody as { errors?: Array<{ extensions?: { code?: string } }>; extensions?: CostExtension };
    const cost = body.extensions?.cost;
    return [{
      receivedAt: Date.parse(log[i].receivedAt),
      throttled: (body.errors ?? []).some((e) => e.extensions?.code === 'THROTTLED'),
      charged: cost?.actualQueryCost ?? 0,
      currentlyAvailable: cost?.throttleStatus?.currentlyAvailable ?? Number.NaN,
    }];
  });
}

describe('Shopify query cost drawn from the shared request budget', () => {
  let pools: Pool[];
  let sb: RunningSandbox;
  beforeAll(() => {
    pools = [0, 1].map(() => new Pool({ connectionString: testStack().databaseUrl, max: 2 }));
  });
  afterAll(async () => { await Promise.all(pools.map((p) => p.end())); });
  beforeEach(async () => { sb = await startShopifySandbox({ bucket: STORE_BUCKET, recordExchanges: true }); });
  afterEach(async () => { await sb.stop(); });

  /** One connection to the store; `clientIn(pool)` is its API as a worker process with that pool builds it. */
  async function connection(): Promise<{ connectionId: string; clientIn: (pool: Pool) => ShopifyApi }> {
    const { credentials, config } = sb.credentials();
    const identity = { tenantId: uniqueName('t'), connectionId: uniqueName('c'), config };
    const store = new InMemoryCredentialStore();
    await store.put(identity.tenantId, identity.connectionId, credentials);
    return {
      connectionId: identity.connectionId,
      clientIn: (pool) => new ShopifyApi(shopifyGraphql(buildConnectorContext(onThisPlan, identity, store, new RequestBudgetStore(pool)).http)),
    };
  }

  /** Creates `count` customers one call at a time, retrying a THROTTLED answer as the activity would; answers how many were throttled. */
  async function lane(api: ShopifyApi, name: string, count: number): Promise<number> {
    let throttled = 0;
    for (let i = 0; i < count; i++) {
      for (;;) {
        try {
          const [created] = await api.customerCreate([{ email: `${name}-${i}@example.com`, firstName: name }]);
          expect(created.userErrors).toEqual([]);
          break;
        } catch (err) {
          if (!isConnectorError(err) || err.code !== 'THROTTLED') throw err;
          throttled++;
        }
      }
    }
    return throttled;
  }

  /** Someone else with the app's token (an import script, another integration) spends points outside the budget. */
  async function spendOutsideTheBudget(points: number): Promise<void> {
    const outsider = new ShopifyApi(shopifyGraphql((await connectToSandbox(shopify, sb.url)).http));
    await outsider.customerCreate(Array.from({ length: points / WRITE_COST }, (_, i) => ({ email: `outsider-${i}@example.com` })));
  }

  it('two processes loading into one store never see THROTTLED, with the bucket drawn down to the refill', async () => {
    const { clientIn } = await connection();
    const apis = pools.map(clientIn);
    const lanes = apis.flatMap((api, p) => [0, 1].map((l) => lane(api, `p${p}l${l}`, 15)));
    expect(await Promise.all(lanes)).toEqual([0, 0, 0, 0]);

    const seen = answers(sb);
    expect(seen.filter((a) => a.throttled)).toEqual([]);
    expect(sb.store.all('customers')).toHaveLength(60);
    // The budget, not the senders, was the bottleneck: the store's bucket ran (nearly) dry.
    expect(Math.min(...seen.map((a) => a.currentlyAvailable))).toBeLessThan(2 * WRITE_COST);

    // Measured, not asserted (speed belongs to the bench): the restore rate used once the first full bucket is spent.
    const spent = seen.reduce((sum, a) => sum + a.charged, 0);
    const seconds = (seen.at(-1)!.receivedAt - seen[0].receivedAt) / 1000;
    const used = (spent - STORE_BUCKET.maximumAvailable) / (STORE_BUCKET.restoreRate * seconds);
    process.stdout.write(`[shopify cost budget] ${spent} points in ${seconds.toFixed(2)} s: ${(used * 100).toFixed(1)}% of the ${STORE_BUCKET.restoreRate}/s restore rate after the first bucket\n`);
  }, 120_000);

  it('when the store reports less than the budget assumes, the budget lowers itself before anything is throttled', async () => {
    const { clientIn } = await connection();
    await spendOutsideTheBudget(80);
    const api = clientIn(pools[0]);
    expect(await Promise.all([lane(api, 'a', 10), lane(api, 'b', 10)])).toEqual([0, 0]);

    const ours = answers(sb).slice(1);
    // The store knew less than the budget (which assumed its own bucket full): its first answers said so.
    expect(ours[0].currentlyAvailable).toBeLessThan(STORE_BUCKET.maximumAvailable - 3 * WRITE_COST);
    expect(ours.filter((a) => a.throttled)).toEqual([]);
    expect(ours).toHaveLength(20);
  }, 120_000);

  it('a store on a larger plan than declared: the budget follows the size and restore rate it reports', async () => {
    await sb.stop();
    sb = await startShopifySandbox({ bucket: { maximumAvailable: 400, restoreRate: 200 }, recordExchanges: true });
    const { connectionId, clientIn } = await connection();
    expect(await Promise.all(pools.map((pool, p) => lane(clientIn(pool), `big${p}`, 10)))).toEqual([0, 0]);

    const ours = answers(sb);
    expect(ours.filter((a) => a.throttled)).toEqual([]);
    const { rows } = await pools[0].query<{ capacity: number; refill_per_second: number }>(
      "SELECT capacity, refill_per_second FROM request_budgets WHERE connection_id = $1 AND bucket = 'points'", [connectionId]);
    // The reported 400 points and 200/s, less 0.2 s of restore for late sends.
    expect(rows).toEqual([{ capacity: 400 - 200 * 0.2, refill_per_second: 200 }]);
  }, 120_000);

  it('a THROTTLED answer holds every sender of the connection, as a 429 does', async () => {
    const { clientIn } = await connection();
    await spendOutsideTheBudget(100);
    const apis = pools.map(clientIn);
    const throttled = await Promise.all(apis.map((api, p) => lane(api, `p${p}`, 10)));

    const ours = answers(sb).slice(1);
    // The first calls went out before any answer could tell the budget; after that, none was throttled.
    expect(throttled.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(apis.length);
    expect(ours.slice(apis.length).filter((a) => a.throttled)).toEqual([]);
    expect(sb.store.all('customers')).toHaveLength(10 + 20);
  }, 120_000);
});

import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool } from '../../src/platform/db/pool';
import { ConnectionsRepository } from '../../src/platform/db/repositories/connections';
import { bucketOf, RequestBudgetStore } from '../../src/platform/rate-budget';
import { testStack } from '../helpers/stack';

/**
 * request_budgets rows do not outlive their use: a row nobody drew on for an hour, refilled and at
 * full pace, is removed (reserve re-creates it as it was), and a deleted connection's rows go with it.
 */
describe('request budget rows', () => {
  let pool: Pool;
  let store: RequestBudgetStore;
  beforeAll(() => { pool = createPool(testStack().databaseUrl, 2); store = new RequestBudgetStore(pool); });
  afterAll(async () => { await pool.end(); });

  const rows = async (connectionId: string) => (await pool.query<{ bucket: string }>(
    'SELECT bucket FROM request_budgets WHERE connection_id = $1 ORDER BY bucket', [connectionId])).rows.map((r) => r.bucket);
  const age = (connectionId: string, bucket: string, seconds: number) => pool.query(
    `UPDATE request_budgets SET refreshed_at = refreshed_at - make_interval(secs => $3) WHERE connection_id = $1 AND bucket = $2`,
    [connectionId, bucket, seconds]);

  it('removes only idle buckets that hold what a new one would: full and at full pace', async () => {
    const connectionId = `c-${randomUUID()}`;
    const idle = { ...bucketOf({ requests: 1, perSeconds: 1, burst: 1 }), name: 'post|C0IDLE' };
    const recent = { ...bucketOf({ requests: 1, perSeconds: 1, burst: 1 }), name: 'post|C0RECENT' };
    const day = { ...bucketOf({ requests: 1000, perSeconds: 86_400, burst: 500 }), name: 'day' };
    const slowed = { ...bucketOf({ requests: 1, perSeconds: 1, burst: 1 }), name: 'post|C0SLOWED' };
    for (const bucket of [idle, recent, day, slowed]) await store.reserve(connectionId, [bucket]);
    await store.reserve(connectionId, [day], Array.from({ length: 100 }, () => 1)); // 101 drawn, ~42 back in 2 h: short of full
    await store.refused(connectionId, 1, [slowed]); // its pace recovers over PACE_RECOVERY_SECONDS from now
    await age(connectionId, idle.name, 7200);
    await age(connectionId, day.name, 7200);
    await pool.query(`UPDATE request_budgets SET refreshed_at = clock_timestamp() - interval '2 hours', pace = 0.2
                       WHERE connection_id = $1 AND bucket = $2`, [connectionId, slowed.name]);
    // 2 h at 0.2 pace recovering 1/120 s reaches 1: the slowed bucket is idle too, once its pace is back.
    expect(await store.forgetIdle(3600)).toBeGreaterThanOrEqual(2);
    expect(await rows(connectionId)).toEqual(['day', 'post|C0RECENT']);
    const [wait] = await store.reserve(connectionId, [idle]);
    expect(wait).toBe(0); // re-created full, as if it had never gone
  });

  it('leaves a bucket whose pace has not recovered yet', async () => {
    const connectionId = `c-${randomUUID()}`;
    const bucket = { ...bucketOf({ requests: 1, perSeconds: 1, burst: 1 }), name: 'post|C0PACE' };
    await store.reserve(connectionId, [bucket]);
    await pool.query(`UPDATE request_budgets SET refreshed_at = clock_timestamp() - interval '70 seconds', pace = 0.2
                       WHERE connection_id = $1`, [connectionId]);
    await store.forgetIdle(60); // other tests' idle rows in the shared database may go: only this connection's are looked at
    expect(await rows(connectionId)).toEqual(['post|C0PACE']);
  });

  it("removes a connection's buckets when the connection is deleted", async () => {
    const tenantId = `t-${randomUUID()}`;
    const connectionId = `c-${randomUUID()}`;
    await pool.query('INSERT INTO tenants (id, name, api_key_hash) VALUES ($1, $1, $2)', [tenantId, randomUUID()]);
    const connections = new ConnectionsRepository(pool);
    await connections.insert(pool, { id: connectionId, tenantId, connector: 'hubspot', name: 'budgeted', config: {} });
    await store.reserve(connectionId, [bucketOf({ requests: 190, perSeconds: 10 })]);
    expect(await rows(connectionId)).toHaveLength(1);
    expect(await connections.markDeleted(tenantId, connectionId)).toBe('deleted');
    expect(await rows(connectionId)).toEqual([]);
  });
});

import crypto from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { LoadWorkflowClient } from '../../src/gateway/loads/load-workflow.client';
import { createPool, inTransaction } from '../../src/platform/db/pool';
import { LoadsRepository } from '../../src/platform/db/repositories/loads';
import { liveRecords, startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// A rollback undoes a load's segments side by side when no two records of the load touch the same
// record at the system, and newest first, one at a time, when some do (the oldest before-image
// must be the one left in place).
describe('rollback lanes', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('hubspot'); });
  afterAll(async () => { await h?.stop(); });

  async function posted(records: Array<Record<string, unknown>>): Promise<string> {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email', records });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  /**
   * A load stored and started as the gateway did before it refused repeated keys: records that
   * share a target can no longer come through the API, and the rollback still guards against them.
   */
  async function storedAndStarted(records: Array<Record<string, unknown>>): Promise<string> {
    const id = `ld_${crypto.randomBytes(10).toString('hex')}`;
    const pool = createPool(h.config.DATABASE_URL, 1);
    try {
      await inTransaction(pool, (client) => new LoadsRepository(pool).insertWithRecords(client, {
        id, tenantId: h.tenantId, connectionId: h.connectionId, connector: 'hubspot', object: 'contacts', operation: 'upsert',
        naturalKey: 'email', options: { dryRun: false, verify: true, onError: 'rollback', rollbackWindowSeconds: 86_400 }, chunkSize: 100,
      }, records));
    } finally {
      await pool.end();
    }
    await new LoadWorkflowClient(h.temporal, h.config).start({ tenantId: h.tenantId, loadId: id, connector: 'hubspot', object: 'contacts' });
    return id;
  }

  async function loadThenRollBack(records: Array<Record<string, unknown>>, start = posted): Promise<string> {
    const id = await start(records);
    const loaded = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect({ status: loaded.status, error: loaded.error?.message }).toEqual({ status: 'completed', error: undefined });
    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    return id;
  }

  /** How many rollbackSegment activities were running at most at once, from the workflow's history. */
  async function mostRollbacksAtOnce(id: string): Promise<number> {
    const events: temporal.api.history.v1.IHistoryEvent[] = (await h.temporal.workflow.getHandle(`load-${h.tenantId}-${id}`).fetchHistory()).events ?? [];
    const rollbackIds = new Set<string>();
    let running = 0;
    let most = 0;
    for (const e of events) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'rollbackSegment') {
        rollbackIds.add(String(e.eventId));
        most = Math.max(most, ++running);
      }
      const done = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes;
      if (done && rollbackIds.has(String(done.scheduledEventId))) running--;
    }
    return most;
  }

  it('restores the oldest before-image when a key is written by two segments', async () => {
    await h.admin('POST', 'reset');
    await h.admin('POST', 'seed', { objects: { contacts: Array.from({ length: 100 }, (_, i) => ({ email: `dup${i}@example.com`, firstname: `seed${i}` })) } });
    const before = await liveRecords(h, 'contacts', ['lastmodifieddate', 'hs_lastmodifieddate']);
    // Chunks 0 and 2 write the same 100 contacts (the same values: segments write side by side, so
    // either may land last); chunk 1 other contacts. Undone side by side, chunk 0's restore of the
    // seed could land before chunk 2's restore of chunk 0's values.
    const records = [
      ...Array.from({ length: 100 }, (_, i) => ({ email: `dup${i}@example.com`, firstname: `loaded${i}` })),
      ...Array.from({ length: 100 }, (_, i) => ({ email: `other${i}@example.com`, firstname: `other${i}` })),
      ...Array.from({ length: 100 }, (_, i) => ({ email: `dup${i}@example.com`, firstname: `loaded${i}` })),
    ];
    expect((await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email', records })).status).toBe(400);
    const id = await loadThenRollBack(records, storedAndStarted);
    expect(await liveRecords(h, 'contacts', ['lastmodifieddate', 'hs_lastmodifieddate'])).toEqual(before);
    expect(await mostRollbacksAtOnce(id)).toBe(1);
  }, 180_000);

  it('undoes independent segments side by side', async () => {
    await h.admin('POST', 'reset');
    const records = Array.from({ length: 400 }, (_, i) => ({ email: `lane${i}@example.com`, firstname: `lane${i}` }));
    const id = await loadThenRollBack(records);
    expect(await liveRecords(h, 'contacts')).toEqual({});
    expect(await mostRollbacksAtOnce(id)).toBeGreaterThan(1);
  }, 180_000);
});

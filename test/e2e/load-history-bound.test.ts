import { historyEventBound, MAX_SEGMENTS, segmentsOf } from '../../src/platform/load/segments';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

/**
 * A load's workflow history grows with its segments, never with its records: chunks are grouped so
 * that no load runs more than MAX_SEGMENTS segments. Counted here on a real run (write, verify,
 * then a rollback inside the window): the events stay under the per-segment bound, and the bound at
 * MAX_SEGMENTS is under 10,000 events — so a load of any size (1M records included) is too.
 */
describe('load history is bounded by segments, not records', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('hubspot'); });
  afterAll(async () => { await h?.stop(); });

  it('groups chunks so a load never has more than MAX_SEGMENTS segments', () => {
    expect(segmentsOf(10_000)).toHaveLength(MAX_SEGMENTS);
    expect(segmentsOf(10_000)[0]).toEqual({ index: 0, firstChunk: 0, lastChunk: 49 });
    expect(segmentsOf(10_000).at(-1)).toEqual({ index: MAX_SEGMENTS - 1, firstChunk: 9_950, lastChunk: 9_999 });
    expect(segmentsOf(7)).toHaveLength(7);
    expect(segmentsOf(401).map((s) => s.lastChunk - s.firstChunk + 1).reduce((a, b) => a + b, 0)).toBe(401);
    expect(historyEventBound(MAX_SEGMENTS)).toBeLessThanOrEqual(10_000);
  });

  it('counts the events of a 1,000-record load written, verified and rolled back', async () => {
    const records = Array.from({ length: 1_000 }, (_, i) => ({ email: `bound-${i}@example.com`, firstname: `B${i}` }));
    const created = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email', records });
    expect(created.status).toBe(202);
    const id = created.body.id;
    await h.waitForLoad(id, ['completed']);
    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBeLessThan(300);
    const done = await h.waitForLoad(id, ['rolled_back', 'failed']);
    expect(done.status).toBe('rolled_back');

    const handle = h.temporal.workflow.getHandle(`load-${h.tenantId}-${id}`);
    const events = (await handle.fetchHistory()).events ?? [];
    const segments = segmentsOf(10).length;
    expect(events.length).toBeLessThanOrEqual(historyEventBound(segments));
    // Per segment: one write activity and one compensation, not three activities per chunk.
    const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name);
    expect(scheduled.filter((n) => n === 'runSegment')).toHaveLength(segments);
    expect(scheduled.filter((n) => n === 'rollbackSegment')).toHaveLength(segments);
  });
});

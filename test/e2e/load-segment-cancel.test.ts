import { chunksPerSegment } from '../../src/platform/load/segments';
import { liveRecords, startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// A segment covers many chunks once a load has more chunks than its lanes take one at a time. A
// cancel must still stop the segment that is writing between two of its chunks (the workflow
// cancels the activity, which hears it through its heartbeat), not after the whole segment.
describe('a cancel stops a many-chunk segment between chunks', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('hubspot', { config: { FORGE_LOAD_SEGMENT_LANES: 1 } }); });
  afterAll(async () => { await h?.stop(); });

  it('writes fewer chunks than the segment holds, then rolls back what it wrote', async () => {
    const chunks = 40;
    const perSegment = chunksPerSegment(chunks, 1);
    expect(perSegment).toBe(10);
    const createPath = '/crm/v3/objects/contacts/batch/create';
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: createPath, latencyMs: 1_000 }] });
    const records = Array.from({ length: chunks * 100 }, (_, i) => ({ email: `seg-cancel-${i}@example.com`, firstname: `s${i}` }));
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'contacts', operation: 'create', naturalKey: 'email', records });
    expect(res.status).toBe(202);
    const id = res.body.id;

    const deadline = Date.now() + 120_000;
    while ((await h.api('GET', `/v1/loads/${id}`)).body.counts.created === 0) {
      if (Date.now() > deadline) throw new Error('the load wrote nothing');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await h.api('POST', `/v1/loads/${id}/cancel`)).status).toBe(202);
    const load = await h.waitForLoad(id, ['cancelled', 'completed', 'failed', 'rolled_back'], 180_000);

    expect({ status: load.status, error: load.error ?? null }).toEqual({ status: 'cancelled', error: null });
    const creates = ((await h.admin('GET', 'requests')).body.requests as Array<{ method: string; path: string }>)
      .filter((r) => r.method === 'POST' && r.path === createPath);
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.length).toBeLessThan(perSegment);
    expect(Object.keys(await liveRecords(h, 'contacts'))).toEqual([]);
  }, 300_000);
});

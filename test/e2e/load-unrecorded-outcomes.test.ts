import { liveRecords, startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// A segment writes a chunk's outcomes to Postgres with its verify, in one statement (saga.ts
// ChunkRows.stage). When the verify's read fails after the write landed, the outcomes were never
// stored: the retried activity must find them again by reading the system, not write twice.
describe('a write whose outcomes were not stored yet', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('hubspot', { config: { FORGE_LOAD_SEGMENT_LANES: 1 } }); });
  afterAll(async () => { await h?.stop(); });

  it('is found again by the retry when the verify read fails, and each chunk is written once', async () => {
    const readPath = '/crm/v3/objects/contacts/batch/read';
    const createPath = '/crm/v3/objects/contacts/batch/create';
    // The first read is chunk 0's snapshot; the second, its verify, fails (and so the attempt).
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: readPath, after: 1, times: 1, status: 503 }] });
    const records = Array.from({ length: 250 }, (_, i) => ({ email: `unrecorded-${i}@example.com`, firstname: `u${i}` }));
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'contacts', operation: 'create', naturalKey: 'email', records });
    expect(res.status).toBe(202);

    const load = await h.waitForLoad(res.body.id, ['completed', 'failed', 'rolled_back'], 120_000);

    expect({ status: load.status, created: load.counts.created, verified: load.counts.verified, failed: load.counts.failed })
      .toEqual({ status: 'completed', created: 250, verified: 250, failed: 0 });
    const requests = (await h.admin('GET', 'requests')).body.requests as Array<{ method: string; path: string; status: number }>;
    expect(requests.filter((r) => r.path === readPath && r.status === 503)).toHaveLength(1);
    expect(requests.filter((r) => r.method === 'POST' && r.path === createPath)).toHaveLength(3);
    expect(Object.keys(await liveRecords(h, 'contacts'))).toHaveLength(250);
    const stored = await h.allRecords(res.body.id);
    expect(stored.filter((r) => r.status === 'created' && r.id)).toHaveLength(250);
  }, 180_000);
});

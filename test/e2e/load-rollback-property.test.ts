import fc from 'fast-check';
import { liveRecords, startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// Property: whatever the load and wherever it fails, after its rollback the sandbox's live state
// equals the state before the load (writable properties of every live record, by id).
const SYSTEM_STAMPS = ['lastmodifieddate', 'hs_lastmodifieddate'];
const UPSERT_PATH = '/crm/v3/objects/contacts/batch/upsert';

type Failure =
  | { kind: 'rollback-after-completion' }
  | { kind: 'invalid-record'; at: number }
  | { kind: 'transient-storm'; times: number }
  | { kind: 'auth-revoked-midway' }
  | { kind: 'cancel-midway' };

const scenario = fc.record({
  existing: fc.integer({ min: 0, max: 150 }),
  keys: fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 260 }),
  tag: fc.constantFrom('p', 'q', 'r'),
  clearPhone: fc.boolean(),
  failure: fc.oneof(
    fc.constant<Failure>({ kind: 'rollback-after-completion' }),
    fc.nat({ max: 259 }).map<Failure>((at) => ({ kind: 'invalid-record', at })),
    fc.integer({ min: 1, max: 3 }).map<Failure>((times) => ({ kind: 'transient-storm', times })),
    fc.constant<Failure>({ kind: 'auth-revoked-midway' }),
    fc.constant<Failure>({ kind: 'cancel-midway' }),
  ),
});

describe('rollback restores the before-state (property-based)', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('hubspot'); });
  afterAll(async () => { await h?.stop(); });

  async function untilWritten(id: string) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const load = (await h.api('GET', `/v1/loads/${id}`)).body;
      if (load.counts.created + load.counts.updated > 0 || !['pending', 'running'].includes(load.status)) return;
      if (Date.now() > deadline) throw new Error(`load ${id} wrote nothing in time`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('holds for random loads and random failure points', async () => {
    await fc.assert(fc.asyncProperty(scenario, async ({ existing, keys, tag, clearPhone, failure }) => {
      await h.admin('POST', 'reset');
      if (existing > 0) {
        await h.admin('POST', 'seed', { objects: { contacts: Array.from({ length: existing }, (_, i) => ({
          email: `p${i}@example.com`, firstname: `seed${i}`, phone: `+1555${i}`,
        })) } });
      }
      const before = await liveRecords(h, 'contacts', SYSTEM_STAMPS);
      const records: Record<string, unknown>[] = keys.map((k) => ({
        email: `p${k}@example.com`, firstname: `${tag}${k}`, ...(clearPhone ? { phone: null } : {}),
      }));
      if (failure.kind === 'invalid-record') records[failure.at % records.length].lifecyclestage = 'invalid-stage';
      if (failure.kind === 'transient-storm') {
        await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: UPSERT_PATH, status: 503, times: failure.times }] });
      }
      if (failure.kind === 'auth-revoked-midway' || failure.kind === 'cancel-midway') {
        await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: UPSERT_PATH, latencyMs: 120 }] });
      }
      const started = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'contacts', operation: 'upsert', naturalKey: 'email', records });
      expect(started.status).toBe(202);
      const id = started.body.id;

      if (failure.kind === 'auth-revoked-midway') {
        await untilWritten(id);
        await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: UPSERT_PATH, status: 401 }] });
      }
      if (failure.kind === 'cancel-midway') {
        await untilWritten(id);
        await h.api('POST', `/v1/loads/${id}/cancel`);
      }
      let load = await h.waitForLoad(id, ['completed', 'rolled_back', 'cancelled', 'failed']);
      if (load.status === 'completed') {
        expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
        load = await h.waitForLoad(id, ['rolled_back', 'failed']);
      }
      expect(['rolled_back', 'cancelled']).toContain(load.status);
      expect(await liveRecords(h, 'contacts', SYSTEM_STAMPS)).toEqual(before);
      await h.admin('DELETE', 'faults');
    }), { numRuns: 8, endOnFailure: true });
  }, 900_000);
});

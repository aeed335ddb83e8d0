import { waitFor } from '../../helpers/wait';
import type { Quirk } from '../fixture';
import { Capture, expectWellFormed } from '../runner/capture';
import { quirkSetUp, requestsTo } from './helpers';

// HubSpot's own behaviour, beyond the table: CRM batches of 100, per-record errors inside a batch,
// and search-based capture of more than 10,000 changes sharing one timestamp.
const contacts = (from: number, to: number, tag: string) =>
  Array.from({ length: to - from }, (_, i) => ({ email: `person-${from + i}@example.com`, firstname: `${tag}-${from + i}`, lastname: 'Load' }));

export const hubspotQuirks: Quirk[] = [
  {
    name: 'upserts 1,000 contacts (300 existing) in batches of 100 and verifies every one',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.seed(ctx.object, contacts(0, 300, 'before'));
      const load = await loads.run('upsert', contacts(0, 1000, 'after'));
      expect(load.status).toBe('completed');
      expect(load.counts).toMatchObject({ total: 1000, created: 700, updated: 300, failed: 0, verified: 1000 });
      const live = [...(await sb.live(ctx.object)).values()];
      expect(live).toHaveLength(1000);
      expect(live.every((p) => String(p.firstname).startsWith('after-'))).toBe(true);
      expect(await requestsTo(sb, 'POST', '/crm/v3/objects/contacts/batch/upsert')).toHaveLength(10);
    },
  },
  {
    name: 'three invalid contacts in different batches fail alone, naming lifecyclestage; the rest load',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records: Array<Record<string, unknown>> = contacts(0, 250, 'v');
      for (const i of [7, 120, 249]) records[i].lifecyclestage = 'not-a-stage';
      const id = await loads.start('upsert', records, { onError: 'continue' });
      const load = await loads.wait(id);
      expect(load.status).toBe('completed');
      expect(load.counts).toMatchObject({ total: 250, created: 247, failed: 3 });
      const failed = await loads.records(id, 'failed');
      expect(failed.map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[7, ['lifecyclestage']], [120, ['lifecyclestage']], [249, ['lifecyclestage']]]);
      expect((await sb.live(ctx.object)).size).toBe(247);
    },
  },
  {
    name: 'captures 10,050 contacts sharing one timestamp exactly once, across the worker restart',
    phase: 'capture',
    async run(ctx) {
      const sb = await ctx.env.sandbox(ctx.fixture);
      const count = 10_050;
      await sb.call('POST', 'clock', { at: new Date(Date.now() - 120_000).toISOString(), frozen: true });
      const seeded = new Set<string>();
      for (let start = 0; start < count; start += 2_500) {
        const batch = Array.from({ length: Math.min(2_500, count - start) }, (_, i) => ({ email: `bulk-${start + i}@example.com` }));
        const res = await sb.call('POST', 'seed', { objects: { contacts: batch } });
        for (const r of res.body.objects.contacts as Array<{ id: string }>) seeded.add(String(r.id));
      }
      // Search trails writes, so the source leaves the last 10 s: run the clock a minute behind.
      await sb.call('POST', 'clock', { at: new Date(Date.now() - 60_000).toISOString(), frozen: false });
      const state = (await sb.state()).objects.contacts;
      expect(new Set(state.map((r) => r.updatedAt)).size).toBe(1);

      // Start last, when every other capture scenario waits for the restart, and slowly, so the
      // restart lands in the middle of this capture.
      await waitFor('the other capture scenarios at the restart', async () => {
        const { arrived, expected } = ctx.env.restartArrivals();
        return arrived === expected - 1 || undefined;
      }, 600_000); // as long as the slowest other capture scenario takes to get there: minutes on a loaded machine
      await sb.faults([{ method: 'POST', path: '/crm/v3/objects/contacts/search', latencyMs: 60 }]);
      const capture = await Capture.start(ctx.env, sb, 'contacts');
      try {
        await waitFor('the capture to be under way', async () => (await capture.view()).eventsCaptured > 0, 60_000, 250);
        await ctx.restartWorker();
        const midway = (await capture.view()).eventsCaptured;
        expect(midway).toBeLessThan(count);
        await sb.call('DELETE', 'faults');
        await waitFor('every bulk contact', async () => (await capture.view()).eventsCaptured >= count || undefined, 120_000, 500);
        const events = await capture.stream();
        expectWellFormed(events);
        expect(events.filter((e) => seeded.has(e.recordId))).toHaveLength(count);
        expect(new Set(events.map((e) => e.occurredAt)).size).toBe(1);
        expect((await capture.view()).cursor).toEqual(expect.objectContaining({ changes: expect.any(Object), deletes: expect.any(Object) }));
      } finally {
        await capture.stop();
      }
    },
  },
];

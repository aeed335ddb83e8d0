import { encodeForm } from '../../../src/platform/http';
import { waitFor } from '../../helpers/wait';
import type { Quirk } from '../fixture';
import { Capture, CAPTURE_POLL_MS, CAPTURE_WAIT_MS } from '../runner/capture';
import { quirkSetUp, requestsTo, vendorCall } from './helpers';

// Stripe's own behaviour, beyond the table: one request per record with the load's idempotency
// keys, metadata merged, dotted field names in errors, 429s without Retry-After, and the Events API.
const customers = (from: number, to: number, tag: string) =>
  Array.from({ length: to - from }, (_, i) => ({ 'metadata.external_id': `ext-${from + i}`, email: `person-${from + i}@example.com`, name: `${tag}-${from + i}` }));
const seeds = (n: number) => customers(0, n, 'before').map(({ 'metadata.external_id': ext, ...rest }) => ({ ...rest, description: 'seeded', metadata: { external_id: ext, tier: 'silver' } }));

export const stripeQuirks: Quirk[] = [
  {
    name: 'upserts 200 customers (50 existing), one POST each with the load\'s idempotency key; metadata is merged',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      expect((await sb.call('POST', 'seed', { objects: { customers: seeds(50) } })).status).toBe(200);
      const load = await loads.run('upsert', customers(0, 200, 'after'));
      expect(load.status).toBe('completed');
      expect(load.counts).toMatchObject({ total: 200, created: 150, updated: 50, failed: 0, verified: 200 });
      const live = await sb.live(ctx.object);
      expect(live.size).toBe(200);
      expect(live.get('ext-0')).toMatchObject({ 'metadata.external_id': 'ext-0', 'metadata.tier': 'silver', name: 'after-0' });
      const keys = ((await sb.state()).objects.idempotency_keys).map((k) => String(k.id));
      expect(keys).toHaveLength(200);
      expect(keys.every((k) => k.startsWith(`forge-${load.id}-`))).toBe(true);
    },
  },
  {
    name: 'refused customers fail alone, naming the parameter Stripe names (email, metadata.note, balance)',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records: Array<Record<string, unknown>> = customers(0, 60, 'v');
      records[4].email = 'broken';
      records[30]['metadata.note'] = 'x'.repeat(600);
      records[59].balance = 'NaN';
      const id = await loads.start('upsert', records, { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 60, created: 57, failed: 3 });
      const failed = await loads.records(id, 'failed');
      expect(failed.map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[4, ['email']], [30, ['metadata.note']], [59, ['balance']]]);
      expect((await sb.live(ctx.object)).size).toBe(57);
    },
  },
  {
    name: 'waits out 429s sent without Retry-After, as Stripe sends them, and completes',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.faults([{ method: 'POST', path: '/v1/customers', status: 429, times: 5 }]);
      const load = await loads.run('upsert', customers(0, 100, 'storm'));
      expect(load.status).toBe('completed');
      expect(load.counts).toMatchObject({ created: 100, verified: 100, failed: 0 });
      expect((await requestsTo(sb, 'POST', '/v1/customers')).filter((r) => r.status === 429)).toHaveLength(5);
      expect((await sb.live(ctx.object)).size).toBe(100);
    },
  },
  {
    name: 'captures from the Events API: event ids as versions, in order, other objects\' events left out, metadata flat',
    phase: 'capture',
    async run(ctx) {
      const sb = await ctx.env.sandbox(ctx.fixture);
      const token = String(sb.credentials.apiKey);
      const post = (path: string, form?: Record<string, unknown>) => vendorCall(sb, 'POST', path, { token, form: form ? encodeForm(form) : undefined });
      const a = (await post('/v1/customers', { name: 'a' })).id as string;
      const b = (await post('/v1/customers', { name: 'b' })).id as string;
      const capture = await Capture.start(ctx.env, sb, 'customers');
      try {
        await waitFor('the created customers', async () => (await capture.stream()).length >= 2 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        await post(`/v1/customers/${a}`, { name: 'a2', metadata: { tier: 'gold' } });
        await vendorCall(sb, 'DELETE', `/v1/customers/${b}`, { token });
        await post('/v1/products', { name: 'not captured' });
        const events = await waitFor('the update and the delete', async () => {
          const all = await capture.stream();
          return all.length >= 4 && all;
        }, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        expect(events.map((e) => `${e.recordId === a ? 'a' : 'b'}:${e.op}:${String(e.data?.name ?? '')}`)).toEqual(['a:upsert:a', 'b:upsert:b', 'a:upsert:a2', 'b:delete:']);
        expect(events[2].data).toMatchObject({ 'metadata.tier': 'gold' });
        expect(events.every((e) => e.version.startsWith('evt_'))).toBe(true);
        const polls = (await capture.view()).polls;
        await waitFor('two more polls', async () => (await capture.view()).polls >= polls + 2 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        expect(await capture.stream()).toHaveLength(4);
        expect((await capture.view()).cursor).toEqual(expect.objectContaining({ created: expect.any(Number), seen: expect.any(Array) }));
      } finally {
        await capture.stop();
      }
    },
  },
];

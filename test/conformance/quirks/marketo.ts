import type { Quirk } from '../fixture';
import { pick } from '../runner/state';
import { quirkSetUp, requestsTo } from './helpers';

// Marketo's own behaviour beyond the table: failures inside HTTP 200 (601/602 token refused ->
// one refresh and retry; 606/615 -> transient), and 300 records a sync call.
const inBody = (code: string, message: string) => ({ requestId: 'e1#fault', success: false, errors: [{ code, message }], warnings: [], result: [] });

export const marketoQuirks: Quirk[] = [
  {
    name: 'leads: 602 Access token expired (HTTP 200) mid-load: a new token is fetched and the call sent once more; the load completes',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.faults([{ method: 'POST', path: '/rest/v1/leads.json', status: 200, body: inBody('602', 'Access token expired'), times: 1 }]);
      const records = [0, 1].map((i) => ctx.object.record(i));
      const load = await loads.run('create', records);
      expect(load).toMatchObject({ status: 'completed', counts: { created: 2, failed: 0 } });
      expect(await loads.retries(load.id)).toEqual([]);
      expect((await requestsTo(sb, 'POST', '/rest/v1/leads.json')).map((r) => r.status)).toEqual([200, 200]);
      expect(await requestsTo(sb, 'POST', '/identity/oauth/token')).toHaveLength(2);
    },
  },
  {
    name: 'leads: 601 twice in a row is a permanent failure after exactly one refresh, not a retry loop',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.faults([{ method: 'POST', path: '/rest/v1/leads.json', status: 200, body: inBody('601', 'Access token invalid') }]);
      const load = await loads.run('create', [ctx.object.record(5)]);
      expect(['failed', 'rolled_back']).toContain(load.status);
      expect(await loads.retries(load.id)).toEqual([]);
      expect(await requestsTo(sb, 'POST', '/rest/v1/leads.json')).toHaveLength(2);
    },
  },
  {
    name: 'leads: 606 (rate limit) and 615 (concurrency) inside HTTP 200 are transient: the call is retried and the load completes',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.faults([
        { method: 'POST', path: '/rest/v1/leads.json', status: 200, body: inBody('606', "Max rate limit '100' exceeded with in '20' secs"), retryAfter: 1, times: 1 },
        { method: 'GET', path: '/rest/v1/leads.json', status: 200, body: inBody('615', 'Concurrent access limit reached'), retryAfter: 1, times: 1 },
      ]);
      const records = [10, 11].map((i) => ctx.object.record(i));
      const load = await loads.run('create', records);
      expect(load).toMatchObject({ status: 'completed', counts: { created: 2, failed: 0 } });
      expect((await loads.retries(load.id)).length).toBeGreaterThan(0);
      const live = await sb.live(ctx.object);
      for (const r of records) expect(pick(live.get(String(r.email)), r)).toEqual(r);
    },
  },
  {
    name: 'leads: 301 records are two sync calls (300 a call); an unknown lookup conflict (1005) fails that record naming email',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.seed(ctx.object, [ctx.object.record(1000)]);
      const records = Array.from({ length: 301 }, (_, i) => ctx.object.record(1000 + i));
      const id = await loads.start('create', records, { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ created: 300, failed: 1 });
      expect((await loads.records(id, 'failed')).map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[0, ['email']]]);
      expect(await requestsTo(sb, 'POST', '/rest/v1/leads.json')).toHaveLength(2);
    },
  },
];

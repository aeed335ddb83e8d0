import type { ObjectFixture, Quirk, Rec } from '../fixture';
import { pick } from '../runner/state';
import { quirkSetUp, requestsTo } from './helpers';

// NetSuite's own behaviour, beyond the table (no undelete, a rollback re-creating a customer under a
// new internal id, is declared in the fixture's deleteRollback): the concurrency limit answers 429
// without Retry-After; companyName is required of a new customer only; sales orders carry item lines.
const CUSTOMER = '/services/rest/record/v1/customer';

const salesOrders: ObjectFixture = {
  object: 'salesOrder',
  naturalKey: 'externalId',
  record: (i) => ({ externalId: `conf-so-${i}` }),
  patch: {},
  invalid: { record: {}, field: 'entity' },
  seed: (records) => ({ salesOrder: records }),
  live: (state) => new Map(state.objects.salesOrder.filter((o) => typeof o.externalId === 'string').map((o) => [String(o.externalId), o])),
  createRequest: { method: 'POST', path: '/services/rest/record/v1/salesOrder' },
  cannot: {},
};

export const netsuiteQuirks: Quirk[] = [
  {
    name: 'the concurrency limit answers 429 without Retry-After: each waited out, the load completes',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.faults([{ method: 'POST', path: CUSTOMER, status: 429, times: 3 }]);
      const records = [200, 201, 202, 203, 204].map((i) => ctx.object.record(i));
      const load = await loads.run('create', records);
      expect(load.status).toBe('completed');
      expect(load.counts).toMatchObject({ created: 5, verified: 5, failed: 0 });
      const limited = (await requestsTo(sb, 'POST', CUSTOMER)).filter((r) => r.status === 429);
      expect(limited).toHaveLength(3);
      expect((await sb.live(ctx.object)).size).toBe(5);
    },
  },
  {
    name: 'an upsert keeps an existing customer\'s companyName; a new one without it fails alone, naming companyName',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const existing = ctx.object.record(300);
      await sb.seed(ctx.object, [existing]);
      const id = await loads.start('upsert', [
        { externalId: existing.externalId, phone: '555-0199' },
        { externalId: 'conf-cust-301', email: 'conf-301@example.com' },
        ctx.object.record(302),
      ], { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 3, updated: 1, created: 1, failed: 1 });
      const failed = await loads.records(id, 'failed');
      expect(failed.map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[1, ['companyName']]]);
      expect(pick((await sb.live(ctx.object)).get(String(existing.externalId)), { ...existing, phone: null })).toEqual({ ...existing, phone: '555-0199' });
    },
  },
  {
    name: 'sales orders load with their item lines, verify as written, and a line change rolls back exactly',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx, salesOrders);
      await sb.seed(ctx.object, [ctx.object.record(400)]);
      const buyer = String((await sb.live(ctx.object)).get(String(ctx.object.record(400).externalId))?.id);
      const order = (i: number, lines: Rec[]): Rec => ({ externalId: `conf-so-${i}`, entity: { id: buyer }, tranDate: '2024-03-01', item: { items: lines } });
      const created = await loads.run('create', [order(1, [{ item: { id: '7' }, quantity: 2, rate: 10 }]), order(2, [{ item: { id: '8' }, quantity: 1, rate: 5, description: 'gift' }])]);
      expect(created.counts).toMatchObject({ created: 2, verified: 2, failed: 0 });
      const withoutStamp = (o: Rec) => { const { lastModifiedDate: _l, ...rest } = o; return rest; };
      const before = [...(await sb.live(salesOrders)).values()].map(withoutStamp);
      const id = await loads.start('update', [{ externalId: 'conf-so-1', item: { items: [{ item: { id: '9' }, quantity: 4, rate: 2.5 }] } }]);
      expect((await loads.wait(id)).counts).toMatchObject({ updated: 1, verified: 1, failed: 0 });
      expect((await sb.live(salesOrders)).get('conf-so-1')).toMatchObject({ total: 10, item: [{ line: 1, item: { id: '9' }, quantity: 4, rate: 2.5 }] });
      expect((await loads.rollback(id)).status).toBe('rolled_back');
      expect([...(await sb.live(salesOrders)).values()].map(withoutStamp)).toEqual(before);
    },
  },
];

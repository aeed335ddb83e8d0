import type { ObjectFixture, Quirk, Rec } from '../fixture';
import type { ScenarioContext } from '../runner/load-scenarios';
import { pick } from '../runner/state';
import { quirkSetUp, requestsTo } from './helpers';

// Zendesk's own behaviour, beyond the table: deleted tickets come back natively with their ids,
// deleted users only as new users; closed tickets and a ticket's description cannot change.
const ticketsOf = (ctx: ScenarioContext): ObjectFixture => ctx.fixture.others!.find((o) => o.object === 'tickets')!;
const keyOf = (object: ObjectFixture, r: Rec) => String(r[object.naturalKey]);
const idsOf = (object: ObjectFixture, live: Map<string, Rec>, records: Rec[]) => records.map((r) => String(live.get(keyOf(object, r))?.id));

export const zendeskQuirks: Quirk[] = [
  {
    name: 'tickets: a rolled-back delete restores every ticket natively, with its id (deleted_tickets restore)',
    phase: 'loads',
    async run(ctx) {
      const tickets = ticketsOf(ctx);
      const { sb, loads } = await quirkSetUp(ctx, tickets);
      const records = [0, 1, 2].map((i) => tickets.record(i));
      await sb.seed(tickets, records);
      const before = idsOf(tickets, await sb.live(tickets), records);
      const id = await loads.start('delete', records.map((r) => ({ [tickets.naturalKey]: r[tickets.naturalKey] })));
      expect((await loads.wait(id)).counts).toMatchObject({ deleted: 3, failed: 0 });
      expect((await loads.rollback(id)).status).toBe('rolled_back');
      const live = await sb.live(tickets);
      for (const r of records) expect(pick(live.get(keyOf(tickets, r)), r)).toEqual(r);
      expect(idsOf(tickets, live, records)).toEqual(before);
      expect(await requestsTo(sb, 'PUT', /^\/api\/v2\/deleted_tickets\/\d+\/restore$/)).toHaveLength(3);
    },
  },
  {
    name: 'users: a rolled-back delete re-creates each user with every field and a new id (Zendesk has no user restore)',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = [100, 101].map((i) => ctx.object.record(i));
      await sb.seed(ctx.object, records);
      const before = idsOf(ctx.object, await sb.live(ctx.object), records);
      const id = await loads.start('delete', records.map((r) => ({ [ctx.object.naturalKey]: r[ctx.object.naturalKey] })));
      expect((await loads.wait(id)).counts).toMatchObject({ deleted: 2, failed: 0 });
      expect((await loads.rollback(id)).status).toBe('rolled_back');
      const live = await sb.live(ctx.object);
      for (const r of records) expect(pick(live.get(keyOf(ctx.object, r)), r)).toEqual(r);
      const after = idsOf(ctx.object, live, records);
      expect(after.filter((i) => before.includes(i))).toEqual([]);
    },
  },
  {
    name: "tickets: a closed ticket refuses the update (Zendesk's ClosedTicket), the record fails naming status",
    phase: 'loads',
    async run(ctx) {
      const tickets = ticketsOf(ctx);
      const { sb, loads } = await quirkSetUp(ctx, tickets);
      const closed = { ...tickets.record(10), status: 'closed' };
      await sb.seed(tickets, [closed, tickets.record(11)]);
      const id = await loads.start('update', [10, 11].map((i) => ({ [tickets.naturalKey]: `conf-ticket-${i}`, subject: 'Patched by a load' })), { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 2, updated: 1, failed: 1 });
      const failed = await loads.records(id, 'failed');
      expect(failed.map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[0, ['status']]]);
      expect(pick((await sb.live(tickets)).get('conf-ticket-10'), closed)).toEqual(closed);
    },
  },
  {
    name: "tickets: a ticket's description (its first comment) cannot change: the record fails naming description, nothing is sent",
    phase: 'loads',
    async run(ctx) {
      const tickets = ticketsOf(ctx);
      const { sb, loads } = await quirkSetUp(ctx, tickets);
      const record = tickets.record(20);
      await sb.seed(tickets, [record]);
      const id = await loads.start('update', [{ [tickets.naturalKey]: record[tickets.naturalKey], description: 'A different first comment' }], { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 1, updated: 0, failed: 1 });
      expect((await loads.records(id, 'failed'))[0].errors?.map((e) => e.field)).toContain('description');
      expect(await requestsTo(sb, 'PUT', /^\/api\/v2\/tickets\/update_many(\.json)?$/)).toEqual([]);
      expect(pick((await sb.live(tickets)).get(keyOf(tickets, record)), record)).toEqual(record);
    },
  },
  {
    name: 'tickets: a priority Zendesk does not know fails that ticket in the job, naming priority; the others are created',
    phase: 'loads',
    async run(ctx) {
      const tickets = ticketsOf(ctx);
      const { sb, loads } = await quirkSetUp(ctx, tickets);
      const valid = [0, 1].map((i) => tickets.record(i));
      const id = await loads.start('create', [valid[0], tickets.invalid.record, valid[1]], { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 3, created: 2, failed: 1 });
      const failed = await loads.records(id, 'failed');
      expect(failed.map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[1, [tickets.invalid.field]]]);
      expect([...(await sb.live(tickets)).keys()].sort()).toEqual(valid.map((t) => keyOf(tickets, t)).sort());
    },
  },
];

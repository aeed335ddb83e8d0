import type { ObjectFixture, Quirk, Rec } from '../fixture';
import type { ScenarioContext } from '../runner/load-scenarios';
import { pick } from '../runner/state';
import { quirkSetUp, requestsTo } from './helpers';

// Zendesk's own behaviour, beyond the table (deleted tickets coming back natively with their ids,
// deleted users only as new users, is declared in the fixtures' deleteRollback): closed tickets and
// a ticket's description cannot change.
const ticketsOf = (ctx: ScenarioContext): ObjectFixture => ctx.fixture.others!.find((o) => o.object === 'tickets')!;
const keyOf = (object: ObjectFixture, r: Rec) => String(r[object.naturalKey]);

export const zendeskQuirks: Quirk[] = [
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

import type { Quirk, Rec } from '../fixture';
import { pick } from '../runner/state';
import { quirkSetUp, requestsTo } from './helpers';

// Dataverse's own behaviour, beyond the table: a deleted row comes back with its original GUID
// (the Web API takes the primary key on create); a chunk is one atomic $batch changeset, and when
// Dataverse refuses a row of it the rows go again one by one, so only the refused ones fail.
const BATCH = '/api/data/v9.2/$batch';

export const dynamicsQuirks: Quirk[] = [
  {
    name: 'a rolled-back delete re-creates each account with every column and its original GUID',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = [100, 101, 102].map((i): Rec => ({ ...ctx.object.record(i), telephone1: '555-0100', revenue: 1000 + i }));
      await sb.seed(ctx.object, records);
      const guids = new Map([...(await sb.live(ctx.object))].map(([k, r]) => [k, r.accountid]));
      const id = await loads.start('delete', records.map((r) => ({ accountnumber: r.accountnumber })));
      expect((await loads.wait(id)).counts).toMatchObject({ deleted: 3, failed: 0 });
      expect((await sb.live(ctx.object)).size).toBe(0);
      expect((await loads.rollback(id)).status).toBe('rolled_back');
      const live = await sb.live(ctx.object);
      for (const r of records) expect(pick(live.get(String(r.accountnumber)), { ...r, accountid: null })).toEqual({ ...r, accountid: guids.get(String(r.accountnumber)) });
    },
  },
  {
    name: 'a refused row fails the atomic changeset; sent again one by one, only the refused rows fail, each naming its attribute (too long, unknown)',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.seed(ctx.object, [200, 201].map((i) => ctx.object.record(i)));
      const records: Rec[] = [200, 201, 202, 203, 204, 205].map((i) => ({ ...ctx.object.record(i), description: `row ${i}` }));
      records[1].description = 'y'.repeat(2001);
      records[4].name = 'x'.repeat(161);
      records[5].shoesize = 44;
      const id = await loads.start('upsert', records, { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 6, updated: 1, created: 2, failed: 3, verified: 3 });
      const failed = await loads.records(id, 'failed');
      expect(failed.map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[1, ['description']], [4, ['name']], [5, ['shoesize']]]);
      expect(await requestsTo(sb, 'POST', BATCH)).toHaveLength(2);
      const live = await sb.live(ctx.object);
      for (const i of [0, 2, 3]) expect(pick(live.get(String(records[i].accountnumber)), records[i])).toEqual(records[i]);
      expect(live.get(String(records[1].accountnumber))?.description).toBeUndefined();
      expect([4, 5].filter((i) => live.has(String(records[i].accountnumber)))).toEqual([]);
    },
  },
];

import type { Quirk, Rec } from '../fixture';
import { pick } from '../runner/state';
import { quirkSetUp, requestsTo } from './helpers';

// Dataverse's own behaviour, beyond the table (a deleted row coming back with its original GUID is
// declared in the fixture's deleteRollback): a chunk is one atomic $batch changeset, and when
// Dataverse refuses a row of it the rows go again one by one, so only the refused ones fail.
const BATCH = '/api/data/v9.2/$batch';

export const dynamicsQuirks: Quirk[] = [
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

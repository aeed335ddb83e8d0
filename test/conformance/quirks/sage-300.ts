import type { Quirk, Rec } from '../fixture';
import { pick } from '../runner/state';
import { quirkSetUp } from './helpers';

// Sage 300's own behaviour beyond the table: deletes cannot be undone natively, so a rolled-back
// delete re-creates each customer under the same CustomerNumber (its key and id, so its identity holds).
const key = (r: Rec) => String(r.CustomerNumber);

export const sage300Quirks: Quirk[] = [
  {
    name: 'ARCustomers: a rolled-back delete re-creates each customer under its own CustomerNumber',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = [0, 1, 2].map((i) => ctx.object.record(i));
      await sb.seed(ctx.object, records);
      const id = await loads.start('delete', records.map((r) => ({ CustomerNumber: r.CustomerNumber })));
      expect((await loads.wait(id)).counts).toMatchObject({ deleted: 3, failed: 0 });
      expect((await sb.live(ctx.object)).size).toBe(0);
      expect((await loads.rollback(id)).status).toBe('rolled_back');
      const after = await sb.live(ctx.object);
      for (const r of records) expect(pick(after.get(key(r)), r)).toEqual(r);
    },
  },
];

import type { Quirk, Rec } from '../fixture';
import { pick } from '../runner/state';
import { quirkSetUp } from './helpers';

// Snowflake through the gateway and the worker: values travel as binds (quotes, semicolons and
// comment marks round-trip through MERGE), and a rolled-back delete re-inserts each row with every
// column it had, its AUTOINCREMENT ID included (Snowflake has no per-row undelete).
const key = (r: Rec) => String(r.EMAIL);

export const snowflakeQuirks: Quirk[] = [
  {
    name: "CONTACTS: an upsert of values with quotes, semicolons and comment marks stores them as written (bind variables)",
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = [
        { EMAIL: `o'brien+30@example.com`, LAST_NAME: `O'Brien"; DELETE FROM CONTACTS; --`, FIRST_NAME: 'Ann' },
        { EMAIL: 'plain-31@example.com', LAST_NAME: `'); DROP TABLE CONTACTS; --`, FIRST_NAME: '?' },
      ];
      const load = await loads.run('upsert', records);
      expect(load.counts).toMatchObject({ created: 2, verified: 2, failed: 0 });
      const live = await sb.live(ctx.object);
      for (const r of records) expect(pick(live.get(key(r)), r)).toEqual(r);
    },
  },
  {
    name: 'CONTACTS: a rolled-back delete re-inserts each row with its own AUTOINCREMENT ID and every column',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = [40, 41, 42].map((i) => ctx.object.record(i));
      await sb.seed(ctx.object, records);
      const before = await sb.live(ctx.object);
      const id = await loads.start('delete', records.map((r) => ({ EMAIL: r.EMAIL })));
      expect((await loads.wait(id)).counts).toMatchObject({ deleted: 3, failed: 0 });
      expect((await sb.live(ctx.object)).size).toBe(0);
      expect((await loads.rollback(id)).status).toBe('rolled_back');
      const after = await sb.live(ctx.object);
      for (const r of records) expect(after.get(key(r))).toEqual(before.get(key(r)));
    },
  },
];

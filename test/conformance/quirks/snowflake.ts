import type { Quirk, Rec } from '../fixture';
import { pick } from '../runner/state';
import { quirkSetUp } from './helpers';

// Snowflake through the gateway and the worker: values travel as binds (quotes, semicolons and
// comment marks round-trip through MERGE). A rolled-back delete re-inserting each row with every
// column, its AUTOINCREMENT ID included, is declared in the fixture's deleteRollback.
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
];

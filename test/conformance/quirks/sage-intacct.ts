import type { Quirk, Rec } from '../fixture';
import { quirkSetUp } from './helpers';

// Sage Intacct's own behaviour beyond the table (a rolled-back delete's new RECORDNO is declared in
// the fixture's deleteRollback): a session that expires in the middle of a load is renewed by one
// more getAPISession and the load goes on; one request carries several functions, and a refused
// function fails its record only.
const key = (r: Rec) => String(r.CUSTOMERID);

export const sageIntacctQuirks: Quirk[] = [
  {
    name: 'CUSTOMER: a session that expires midway is renewed by one more getAPISession, and the load completes',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = Array.from({ length: 120 }, (_, i) => ctx.object.record(300 + i));
      // The second create request finds every session expired (the user's session duration ran out).
      await sb.faults([{ kind: 'expire-token', method: 'POST', path: '/ia/xml/xmlgw.phtml', bodyMatches: '<create>', after: 1, times: 1 }]);
      const load = await loads.run('create', records);
      expect(load.status).toBe('completed');
      expect(load.counts).toMatchObject({ created: 120, verified: 120, failed: 0 });
      expect(await loads.retries(load.id)).toEqual([]);
      expect((await sb.live(ctx.object)).size).toBe(120);
    },
  },
  {
    name: 'CUSTOMER: an update batch where one function is refused fails that record naming the field, the others are updated',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = [10, 11, 12].map((i) => ctx.object.record(i));
      await sb.seed(ctx.object, records);
      const id = await loads.start('update', [
        { CUSTOMERID: records[0].CUSTOMERID, COMMENTS: 'first' },
        { CUSTOMERID: records[1].CUSTOMERID, STATUS: 'dormant' },
        { CUSTOMERID: records[2].CUSTOMERID, COMMENTS: 'third' },
      ], { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 3, updated: 2, failed: 1 });
      const failed = await loads.records(id, 'failed');
      expect(failed.map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[1, ['STATUS']]]);
      const live = await sb.live(ctx.object);
      expect(live.get(key(records[1]))?.STATUS).toBe('active');
      expect(live.get(key(records[2]))?.COMMENTS).toBe('third');
    },
  },
];

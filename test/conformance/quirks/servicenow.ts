import type { Quirk, Rec } from '../fixture';
import { pick } from '../runner/state';
import { quirkSetUp, requestsTo } from './helpers';

// ServiceNow's own behaviour beyond the table (a rolled-back delete keeping its sys_id is declared
// in the fixture's deleteRollback): a Data Policy refusal of an update (403) fails that record
// naming the field; writes of many records travel in one Batch API call.
const key = (r: Rec) => String(r.correlation_id);

export const servicenowQuirks: Quirk[] = [
  {
    name: "incident: an update that blanks a mandatory field is refused by the Data Policy (403), that record fails naming short_description",
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = [10, 11].map((i) => ctx.object.record(i));
      await sb.seed(ctx.object, records);
      const id = await loads.start('update', [
        { correlation_id: records[0].correlation_id, short_description: '' },
        { correlation_id: records[1].correlation_id, urgency: '1' },
      ], { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 2, updated: 1, failed: 1 });
      const failed = await loads.records(id, 'failed');
      expect(failed.map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[0, ['short_description']]]);
      expect(pick((await sb.live(ctx.object)).get(key(records[0])), records[0])).toEqual(records[0]);
    },
  },
  {
    name: 'incident: a create of 120 records is three Batch API calls (50 a call), not 120 Table API requests',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records = Array.from({ length: 120 }, (_, i) => ctx.object.record(200 + i));
      const load = await loads.run('create', records);
      expect(load.counts).toMatchObject({ created: 120, failed: 0 });
      expect(await requestsTo(sb, 'POST', '/api/now/v1/batch')).toHaveLength(3);
      expect(await requestsTo(sb, 'POST', '/api/now/table/incident')).toHaveLength(0);
      expect((await sb.live(ctx.object)).size).toBe(120);
    },
  },
];

import { waitFor } from '../../helpers/wait';
import type { Quirk } from '../fixture';
import { Capture, CAPTURE_POLL_MS, CAPTURE_WAIT_MS, expectWellFormed } from '../runner/capture';
import { quirkSetUp, refreshGrant, requestsTo, vendorCall } from './helpers';

// Salesforce's own behaviour, beyond the table (undelete from the recycle bin, same Ids, is declared
// in the fixture's deleteRollback): composite upserts of 200 by an External ID, its error codes, and
// SystemModstamp's whole seconds.
const V = '/services/data/v62.0';
const contacts = (from: number, to: number, tag: string) =>
  Array.from({ length: to - from }, (_, i) => ({ External_Id__c: `ext-${from + i}`, LastName: `${tag}-${from + i}`, Email: `person-${from + i}@example.com` }));

export const salesforceQuirks: Quirk[] = [
  {
    name: 'upserts 500 contacts by External_Id__c (150 existing) in three composite calls of up to 200',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.seed(ctx.object, contacts(0, 150, 'before'));
      const load = await loads.run('upsert', contacts(0, 500, 'after'));
      expect(load.status).toBe('completed');
      expect(load.counts).toMatchObject({ total: 500, created: 350, updated: 150, failed: 0, verified: 500 });
      expect([...(await sb.live(ctx.object)).values()].every((r) => String(r.LastName).startsWith('after-'))).toBe(true);
      expect(await requestsTo(sb, 'PATCH', `${V}/composite/sobjects/Contact/External_Id__c`)).toHaveLength(3);
    },
  },
  {
    name: 'invalid and incomplete contacts fail alone, naming Email and LastName (REQUIRED_FIELD_MISSING)',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      const records: Array<Record<string, unknown>> = contacts(0, 250, 'v');
      records[7].Email = 'not-an-email';
      delete records[120].LastName;
      records[249].Email = 'bad@';
      const id = await loads.start('upsert', records, { onError: 'continue' });
      expect((await loads.wait(id)).counts).toMatchObject({ total: 250, created: 247, failed: 3 });
      const failed = await loads.records(id, 'failed');
      expect(failed.map((r) => [r.index, r.errors?.map((e) => e.field)])).toEqual([[7, ['Email']], [120, ['LastName']], [249, ['Email']]]);
      expect(failed[1].errors?.[0].message).toMatch(/REQUIRED_FIELD_MISSING/);
      expect((await sb.live(ctx.object)).size).toBe(247);
    },
  },
  {
    name: 'captures 150 contacts created in one second exactly once, then edits and deletes of a later second',
    phase: 'capture',
    async run(ctx) {
      const sb = await ctx.env.sandbox(ctx.fixture);
      await sb.call('POST', 'clock', { at: new Date(Date.now() - 60_000).toISOString(), frozen: true });
      const token = await refreshGrant(sb, '/services/oauth2/token');
      const created = await vendorCall(sb, 'POST', `${V}/composite/sobjects`, {
        token, json: { allOrNone: false, records: Array.from({ length: 150 }, (_, i) => ({ attributes: { type: 'Contact' }, LastName: `C${i}`, External_Id__c: `cap-${i}` })) },
      });
      const ids: string[] = created.map((r: { id: string }) => r.id);
      await sb.call('POST', 'clock', { frozen: false });
      const capture = await Capture.start(ctx.env, sb, 'Contact');
      try {
        await waitFor('the 150 creates', async () => (await capture.stream()).length >= 150 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        // SystemModstamp has whole seconds: the edits come in a later second, as time would have it.
        await sb.call('POST', 'clock', { advanceMs: 2_000 });
        await vendorCall(sb, 'PATCH', `${V}/composite/sobjects`, { token, json: { records: ids.slice(0, 10).map((Id) => ({ attributes: { type: 'Contact' }, Id, Title: 'Updated' })) } });
        await vendorCall(sb, 'DELETE', `${V}/composite/sobjects?ids=${ids.slice(140).join(',')}`, { token });
        await waitFor('the updates and deletes', async () => (await capture.stream()).length >= 170 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        const polls = (await capture.view()).polls;
        await waitFor('two more polls', async () => (await capture.view()).polls >= polls + 2 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        const events = await capture.stream();
        expect(events).toHaveLength(170);
        expectWellFormed(events);
        const later = events.slice(150);
        expect(later.filter((e) => e.op === 'upsert').map((e) => e.recordId).sort()).toEqual(ids.slice(0, 10).sort());
        expect(later.filter((e) => e.op === 'upsert').every((e) => e.data?.Title === 'Updated')).toBe(true);
        expect(later.filter((e) => e.op === 'delete').map((e) => e.recordId).sort()).toEqual(ids.slice(140).sort());
      } finally {
        await capture.stop();
      }
    },
  },
];

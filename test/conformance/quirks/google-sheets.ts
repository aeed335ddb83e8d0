import { SANDBOX_SPREADSHEET_ID } from '../../../sandboxes/google-sheets';
import { waitFor } from '../../helpers/wait';
import type { Quirk, Rec } from '../fixture';
import { Capture, CAPTURE_POLL_MS, CAPTURE_WAIT_MS } from '../runner/capture';
import type { ScenarioSandbox } from '../runner/suite-env';
import { quirkSetUp, refreshGrant, requestsTo, vendorCall } from './helpers';

// Google Sheets: rows have no ids of their own and shift when rows above them go; capture has no
// change feed and compares the sheet with its last state, only when Drive's modifiedTime moved.
// No deleteRollback: a row has no id to declare kept or new; what a rolled-back delete must get
// right here is each row's place, which restore-after-delete does not read, so it has its own quirk.
const SHEET = 'Contacts';
const contact = (i: number): Rec => ({ email: `row-${i}@example.com`, name: `Row ${i}`, company: `Company ${i}` });
const emails = (indexes: number[]) => indexes.map((i) => `row-${i}@example.com`);

/** The emails of the sheet's rows, top to bottom, as the Sheets API reads them. */
async function sheetOrder(sb: ScenarioSandbox): Promise<string[]> {
  const token = await refreshGrant(sb, '/token');
  const body = await vendorCall(sb, 'GET', `/v4/spreadsheets/${SANDBOX_SPREADSHEET_ID}/values/${SHEET}`, { token });
  return ((body.values ?? []) as string[][]).slice(1).map((row) => row[0] ?? '');
}

export const googleSheetsQuirks: Quirk[] = [
  {
    name: 'deletes rows bottom-up in one batchUpdate, so the shifting rows never take a wrong row with them',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.seed(ctx.object, [0, 1, 2, 3, 4, 5].map(contact));
      const load = await loads.run('delete', emails([1, 3, 4]).map((email) => ({ email })));
      expect(load.counts).toMatchObject({ deleted: 3, failed: 0 });
      expect(await sheetOrder(sb)).toEqual(emails([0, 2, 5]));
      expect(await requestsTo(sb, 'POST', /^\/v4\/spreadsheets\/[^/]+:batchUpdate$/)).toHaveLength(1);
    },
  },
  {
    name: 'a rollback puts deleted rows back in their old places and order, whatever order it restores them in',
    phase: 'loads',
    async run(ctx) {
      const { sb, loads } = await quirkSetUp(ctx);
      await sb.seed(ctx.object, [0, 1, 2, 3, 4, 5].map(contact));
      // Listed bottom-up, so the rollback restores row 4 first, then the run 2, 1 from its lower end.
      const id = await loads.start('delete', emails([4, 2, 1]).map((email) => ({ email })));
      expect((await loads.wait(id)).counts).toMatchObject({ deleted: 3, failed: 0 });
      expect(await sheetOrder(sb)).toEqual(emails([0, 3, 5]));
      const rolled = await loads.rollback(id);
      expect(rolled.status).toBe('rolled_back');
      expect(await sheetOrder(sb)).toEqual(emails([0, 1, 2, 3, 4, 5]));
    },
  },
  {
    name: 'capture reads the sheet only when Drive says the file changed, and reports edits and deleted rows',
    phase: 'capture',
    async run(ctx) {
      const { sb } = await quirkSetUp(ctx);
      await sb.seed(ctx.object, [0, 1, 2].map(contact));
      const capture = await Capture.start(ctx.env, sb, SHEET);
      try {
        await waitFor('the three rows', async () => (await capture.stream()).length >= 3 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        await sb.call('DELETE', 'requests');
        const polls = (await capture.view()).polls;
        await waitFor('three more polls', async () => (await capture.view()).polls >= polls + 3 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        expect((await requestsTo(sb, 'GET', /^\/drive\/v3\/files\//)).length).toBeGreaterThanOrEqual(3);
        expect(await requestsTo(sb, 'GET', /\/values\//)).toEqual([]);

        const token = await refreshGrant(sb, '/token');
        const id = SANDBOX_SPREADSHEET_ID;
        await vendorCall(sb, 'POST', `/v4/spreadsheets/${id}/values:batchUpdate`, {
          token, json: { valueInputOption: 'RAW', data: [{ range: `${SHEET}!B3`, values: [['Renamed']] }] },
        });
        await vendorCall(sb, 'POST', `/v4/spreadsheets/${id}:batchUpdate`, {
          token, json: { requests: [{ deleteDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 1, endIndex: 2 } } }] },
        });
        await waitFor('the edit and the delete', async () => (await capture.stream()).length >= 5 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
        const later = (await capture.stream()).slice(3).map((e) => ({ recordId: e.recordId, op: e.op, name: (e.data as Rec | null)?.name }));
        expect(later).toEqual(expect.arrayContaining([
          { recordId: 'row-1@example.com', op: 'upsert', name: 'Renamed' },
          { recordId: 'row-0@example.com', op: 'delete', name: undefined },
        ]));
        expect(later).toHaveLength(2);
      } finally {
        await capture.stop();
      }
    },
  },
];

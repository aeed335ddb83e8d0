import { findConnector } from '../../src/connectors/registry';
import { connectionRefreshTokenAuth } from '../../src/connectors/kit';
import { googleSheetsConfigSchema } from '../../src/connectors/google-sheets/auth';
import { SheetsApi } from '../../src/connectors/google-sheets/sheets-api';
import { createHttpClient } from '../../src/platform/http';
import { pacedHttpClient, RequestPacer } from '../../src/platform/pacer';
import { startGoogleSheetsSandbox, SANDBOX_SPREADSHEET_ID } from '../../sandboxes/google-sheets';
import type { RunningSandbox } from '../../sandboxes/kit';
import { connectToSandbox, sandboxAdmin } from '../helpers/sandbox-connection';

// The Google Sheets connector against its sandbox over real HTTP, for what the conformance table
// does not ask: pacing under Google's per-minute quota (which answers 429 RESOURCE_EXHAUSTED with no
// Retry-After), and clear errors for a sheet or column the spreadsheet does not have.

jest.setTimeout(60_000);

describe('RequestPacer', () => {
  it('lets `limit` requests start per window and holds the next one until the oldest leaves it', async () => {
    let now = 1_000;
    const waits: number[] = [];
    const pacer = new RequestPacer(() => now, async (ms) => { waits.push(ms); now += ms; });
    const started: number[] = [];
    await Promise.all([1, 2, 3, 4, 5].map(async () => { (await pacer.acquire('k', 2, 60_000))(); started.push(now); }));
    expect(started).toEqual([1_000, 1_000, 61_001, 61_001, 121_002]);
    expect(waits).toEqual([60_001, 60_001]);
    (await pacer.acquire('other', 2, 60_000))(); // keys do not share windows
    expect(waits).toHaveLength(2);
  });

  it('counts a request until a window after it finished, not after it started', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new RequestPacer(() => now, async (ms) => { waits.push(ms); now += ms; });
    const finished = await pacer.acquire('k', 1, 1_000);
    now = 400; // the answer took 400 ms: the server may have counted the request at any time up to now
    finished();
    await pacer.acquire('k', 1, 1_000);
    expect(now).toBe(1_401);
    expect(waits).toEqual([1_001]);
  });
});

describe('Google Sheets connector against the sandbox', () => {
  const def = findConnector('google-sheets')!;
  let sb: RunningSandbox;
  const admin = sandboxAdmin(() => sb.url);
  afterEach(async () => { await sb.stop(); });

  it('paces itself under the quota: the requests that met a 429 unpaced all pass when paced', async () => {
    const quota = { limit: 4, windowMs: 1_000 };
    sb = await startGoogleSheetsSandbox({ enforceRateLimit: true, rateLimit: quota });
    const ctx = await connectToSandbox(def, sb.url);
    const config = googleSheetsConfigSchema.parse(ctx.config);
    const client = () => createHttpClient({ system: 'google-sheets', baseUrl: sb.url, auth: connectionRefreshTokenAuth(ctx, { system: 'google-sheets', tokenUrl: config.tokenUrl }) });
    const reads = (api: SheetsApi) => Promise.allSettled(Array.from({ length: 10 }, () => api.readSheet('Contacts')));

    const unpaced = new SheetsApi({ sheets: client(), drive: client() }, SANDBOX_SPREADSHEET_ID);
    const refused = (await reads(unpaced)).filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    const logged = (await admin('GET', 'requests')).requests as Array<{ status: number }>;
    expect(logged.filter((r) => r.status === 429).length).toBe(refused.length);

    await admin('POST', 'reset');
    await new Promise((r) => setTimeout(r, quota.windowMs)); // the unpaced burst leaves the sandbox's window
    await admin('DELETE', 'requests');
    const pace = { key: ctx.connectionId, ...quota };
    const paced = new SheetsApi({ sheets: pacedHttpClient(client(), pace), drive: pacedHttpClient(client(), pace) }, SANDBOX_SPREADSHEET_ID);
    expect((await reads(paced)).filter((r) => r.status === 'rejected')).toEqual([]);
    const after = (await admin('GET', 'requests')).requests as Array<{ status: number }>;
    expect(after.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
  });

  it("reads Google's 429 body as a transient error with its status name", async () => {
    sb = await startGoogleSheetsSandbox();
    const ctx = await connectToSandbox(def, sb.url);
    await admin('POST', 'faults', { faults: [{ method: 'GET', status: 429, times: 1 }] });
    const err = await def.destination(ctx).read('Contacts', 'email', ['a@example.com']).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'transient', status: 429, code: 'RESOURCE_EXHAUSTED' });
  });

  it('names an unknown sheet and an unknown column', async () => {
    sb = await startGoogleSheetsSandbox();
    const ctx = await connectToSandbox(def, sb.url);
    const dest = def.destination(ctx);
    await expect(dest.read('Nope', 'email', ['a@example.com'])).rejects.toMatchObject({
      kind: 'permanent', message: expect.stringContaining('has no sheet named "Nope"'), fields: [{ field: 'object', message: 'no sheet named "Nope"' }],
    });
    await expect(dest.read('Contacts', 'mail', ['a@example.com'])).rejects.toMatchObject({ kind: 'permanent', fields: [{ field: 'mail' }] });
    const [result] = await dest.write('Contacts', 'create', 'email', [{ email: 'a@example.com', nickname: 'A' }]);
    expect(result).toMatchObject({ outcome: 'failed', errors: [{ field: 'nickname', message: 'no column "nickname" in row 1 of sheet "Contacts"' }] });
  });

  it('keeps a connection with config.sheet to that sheet, and its check names a sheet the spreadsheet lacks', async () => {
    sb = await startGoogleSheetsSandbox();
    const ctx = await connectToSandbox(def, sb.url);
    const onDeals = { ...ctx, config: { ...ctx.config, sheet: 'Deals' } };
    await expect(def.destination(onDeals).read('Contacts', 'email', ['a@example.com'])).rejects.toMatchObject({
      kind: 'permanent', message: 'this connection works on sheet "Deals" only (config.sheet), not "Contacts"',
    });
    expect((await def.destination(onDeals).read('Deals', 'deal_id', ['D-1'])).get('D-1')).toBeNull();
    await def.check(onDeals);
    await expect(def.check({ ...ctx, config: { ...ctx.config, sheet: 'Leads' } })).rejects.toMatchObject({ kind: 'permanent', fields: [{ field: 'object' }] });
  });
});

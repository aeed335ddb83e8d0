import { findConnector } from '../../src/connectors/registry';
import { connectionRefreshTokenAuth } from '../../src/connectors/kit';
import { googleSheetsConfigSchema } from '../../src/connectors/google-sheets/auth';
import { SheetsApi } from '../../src/connectors/google-sheets/sheets-api';
import { createHttpClient } from '../../src/platform/http';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { buildConnectorContext } from '../../src/connectors/context';
import { createPool } from '../../src/platform/db/pool';
import { RequestBudgetStore } from '../../src/platform/rate-budget';
import { testStack } from '../helpers/stack';
import { startGoogleSheetsSandbox, SANDBOX_SPREADSHEET_ID } from '../../sandboxes/google-sheets';
import type { RunningSandbox } from '../../sandboxes/kit';
import { connectToSandbox, sandboxAdmin } from '../helpers/sandbox-connection';

// The Google Sheets connector against its sandbox over real HTTP, for what the conformance table
// does not ask: pacing under Google's per-minute quota (which answers 429 RESOURCE_EXHAUSTED with no
// Retry-After), and clear errors for a sheet or column the spreadsheet does not have.

jest.setTimeout(60_000);

describe('Google Sheets connector against the sandbox', () => {
  const def = findConnector('google-sheets')!;
  let sb: RunningSandbox;
  let pool: Pool;
  beforeAll(() => { pool = createPool(testStack().databaseUrl, 2); });
  afterAll(async () => { await pool.end(); });
  const admin = sandboxAdmin(() => sb.url);
  afterEach(async () => { await sb.stop(); });

  it('paces itself under the quota through the request budget: the requests that met a 429 unpaced all pass when paced', async () => {
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
    // The same connection as a worker builds it: its requests draw on the request budget in
    // Postgres, here with the project's quota declared on the connection.
    const budgeted = buildConnectorContext(def, { tenantId: ctx.tenantId, connectionId: `c-${randomUUID()}`, config: ctx.config,
      rateLimits: [{ requests: quota.limit, perSeconds: quota.windowMs / 1000 }] }, ctx.store, new RequestBudgetStore(pool));
    await ctx.store.put(budgeted.tenantId, budgeted.connectionId, await ctx.credentials());
    const paced = new SheetsApi({ sheets: budgeted.http, drive: client() }, SANDBOX_SPREADSHEET_ID);
    expect((await reads(paced)).filter((r) => r.status === 'rejected')).toEqual([]);
    const after = (await admin('GET', 'requests')).requests as Array<{ status: number; path: string }>;
    expect(after.filter((r) => r.path.startsWith('/v4/')).map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
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

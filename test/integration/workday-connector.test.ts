import type { ConnectorContext, DestinationContract, Rec } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { checkAgainstConnector, createLoadBody } from '../../src/gateway/loads/load-body';
import { WorkdayApi } from '../../src/connectors/workday/api';
import { workdayConfigSchema } from '../../src/connectors/workday/auth';
import { workdaySource } from '../../src/connectors/workday/source';
import { PAY_COMPONENTS, SANDBOX_TENANT, startWorkdaySandbox, workdayId } from '../../sandboxes/workday';
import type { RunningSandbox } from '../../sandboxes/kit';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox, sandboxAdmin } from '../helpers/sandbox-connection';

type Logged = { method: string; path: string; status: number; query: string };

const PAYROLL = `/ccx/api/payroll/v2/${SANDBOX_TENANT}/payrollInputs`;
const WORKERS = `/ccx/api/common/v1/${SANDBOX_TENANT}/workers`;
const TOKEN = `/ccx/oauth2/${SANDBOX_TENANT}/token`;
const worker = (i: number) => ({ id: workdayId(`worker/test-${i}`), workerId: String(30000 + i), descriptor: `Worker ${i}`, businessTitle: 'Analyst' });
const input = (i: number, extra: Rec = {}): Rec => ({
  payrollInputID: `PI-${i}`, 'worker.id': worker(0).id, 'payComponent.id': PAY_COMPONENTS[0].id, startDate: '2026-12-01', comment: `input ${i}`, ...extra,
});

describe('Workday connector against its sandbox', () => {
  const def = findConnector('workday')!;
  let sandbox: RunningSandbox;
  let ctx: ConnectorContext & { store: { get(t: string, c: string): Promise<Record<string, unknown> | null> } };
  let dest: DestinationContract;
  const admin = sandboxAdmin(() => sandbox.url);
  const requests = async (): Promise<Logged[]> => (await admin('GET', 'requests')).requests as Logged[];
  const apiCalls = async () => (await requests()).filter((r) => r.path.startsWith('/ccx/api/'));

  beforeEach(async () => {
    sandbox = await startWorkdaySandbox();
    await admin('POST', 'seed', { objects: { workers: [worker(0), worker(1)] } });
    ctx = await connectToSandbox(def, sandbox.url) as typeof ctx;
    dest = def.destination(ctx);
  });
  afterEach(async () => { await sandbox.stop(); });

  it('saves the refresh token Workday rotates, and the one it replaced is refused from then on', async () => {
    const first = (await admin('GET', 'credentials')).credentials.refreshToken as string;
    await def.check(ctx);
    const rotated = (await admin('GET', 'credentials')).credentials.refreshToken as string;
    expect(rotated).not.toBe(first);
    expect((await ctx.store.get(ctx.tenantId, ctx.connectionId))?.refreshToken).toBe(rotated);

    const { clientId, clientSecret } = (await admin('GET', 'credentials')).credentials as Record<string, string>;
    const old = await fetch(`${sandbox.url}${TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first }).toString(),
    });
    expect(old.status).toBe(400);
    expect(await old.json()).toEqual({ error: 'invalid_grant' });

    // The next expiry refreshes with the saved token, which rotates again and is saved again.
    await admin('POST', 'faults', { faults: [{ kind: 'expire-token' }] });
    await dest.read('workers', 'id', [worker(0).id]);
    const again = (await admin('GET', 'credentials')).credentials.refreshToken as string;
    expect(again).not.toBe(rotated);
    expect((await ctx.store.get(ctx.tenantId, ctx.connectionId))?.refreshToken).toBe(again);
    // The connector's refresh, the old token refused, the connector's refresh after the expiry.
    expect((await requests()).filter((r) => r.path === TOKEN).map((r) => r.status)).toEqual([200, 400, 200]);
  });

  it('refuses any write to workers before a request goes out: workers are read-only', async () => {
    await admin('DELETE', 'requests');
    for (const op of ['create', 'update', 'upsert'] as const) {
      const failure = await failureOf((async () => dest.write('workers', op, 'workerId', [{ workerId: '30000', businessTitle: 'Director' }]))());
      expect(failure).toMatchObject({ kind: 'permanent', fields: [{ field: 'operation', message: `workers does not support ${op}: it is read-only through this connector` }] });
    }
    expect(await failureOf((async () => dest.delete('workers', 'id', [worker(0).id]))())).toMatchObject({ kind: 'permanent' });
    expect(await requests()).toEqual([]);
    // The gateway refuses such a load before it is stored, with the same reason.
    const load = createLoadBody.parse({ connectionId: ctx.connectionId, object: 'workers', operation: 'update', naturalKey: 'workerId', records: [{ workerId: '30000' }] });
    expect(checkAgainstConnector(def, load)).toEqual({ problems: [{ field: 'operation', message: 'workers is read-only (no load operations), not update' }] });
  });

  it('reads by Workday ID and by reference ID (Payroll_Input_ID, Employee_ID) through the same {ID} path', async () => {
    const [created] = await dest.write('payrollInputs', 'create', 'payrollInputID', [input(1)]);
    expect(created).toMatchObject({ outcome: 'created', id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const byRef = (await dest.read('payrollInputs', 'payrollInputID', ['PI-1', 'PI-404'])).get('PI-1');
    const byId = (await dest.read('payrollInputs', 'id', [created.id!])).get(created.id!);
    expect(byRef).toEqual(byId);
    expect(byRef).toMatchObject({ id: created.id, payrollInputID: 'PI-1', 'worker.id': worker(0).id, 'worker.descriptor': 'Worker 0', 'payComponent.id': PAY_COMPONENTS[0].id, startDate: '2026-12-01' });
    expect(Object.keys(byRef!).some((k) => k.endsWith('href'))).toBe(false);
    expect((await dest.read('payrollInputs', 'payrollInputID', ['PI-404'])).get('PI-404')).toBeNull();
    expect((await dest.read('workers', 'workerId', ['30001'])).get('30001')).toMatchObject({ id: worker(1).id, workerId: '30001', descriptor: 'Worker 1' });
    const paths = (await apiCalls()).filter((r) => r.method === 'GET').map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining([`${PAYROLL}/Payroll_Input_ID=PI-1`, `${PAYROLL}/${created.id}`, `${WORKERS}/Employee_ID=30001`]));

    // A reference ID is sent encoded after its type; a value that is no Workday ID names nothing and is not sent.
    await dest.write('payrollInputs', 'create', 'payrollInputID', [input(5, { payrollInputID: 'PI 5/A=1' })]);
    await admin('DELETE', 'requests');
    expect((await dest.read('payrollInputs', 'payrollInputID', ['PI 5/A=1'])).get('PI 5/A=1')).toMatchObject({ payrollInputID: 'PI 5/A=1' });
    expect((await dest.read('payrollInputs', 'id', ['PI-1', 'x=y'])).get('x=y')).toBeNull();
    expect((await apiCalls()).map((r) => r.path)).toEqual([`${PAYROLL}/Payroll_Input_ID=PI%205%2FA%3D1`]);
  });

  it('maps Workday error bodies to validation errors naming the fields, references as <field>.id', async () => {
    const results = await dest.write('payrollInputs', 'create', 'payrollInputID', [
      input(1, { startDate: '2026-13-01', 'worker.id': workdayId('worker/nobody') }),
      input(2),
    ]);
    expect(results[0]).toMatchObject({ outcome: 'failed' });
    expect(results[0].errors?.map((e) => e.field).sort()).toEqual(['startDate', 'worker.id']);
    expect(results[1]).toMatchObject({ outcome: 'created' });
    const refused = (await apiCalls()).find((r) => r.method === 'POST' && r.status === 400);
    expect(refused).toBeDefined();
    const raw = await fetch(`${sandbox.url}${PAYROLL}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await accessToken()}` }, body: JSON.stringify({ startDate: 'x' }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      error: 'Validation error occurred. Correct the errors and resubmit.',
      errors: expect.arrayContaining([{ field: 'worker', error: 'Worker is required.' }, { field: 'startDate', error: 'x is not a valid date (yyyy-mm-dd).' }]),
    });
  });

  it('deletes with DELETE confirmed by a 404 read; a rollback re-creates the input with a new Workday ID and the same reference ID', async () => {
    const [created] = await dest.write('payrollInputs', 'create', 'payrollInputID', [input(3, { endDate: '2026-12-31' })]);
    const before = (await dest.read('payrollInputs', 'payrollInputID', ['PI-3'])).get('PI-3')!;
    expect(await dest.delete('payrollInputs', 'payrollInputID', ['PI-3'])).toMatchObject([{ outcome: 'deleted' }]);
    expect((await dest.read('payrollInputs', 'id', [created.id!])).get(created.id!)).toBeNull();
    const restored = await dest.restore('payrollInputs', 'payrollInputID', before);
    expect(restored).toMatchObject({ recreated: true });
    expect(restored.id).not.toBe(created.id);
    const back = (await dest.read('payrollInputs', 'payrollInputID', ['PI-3'])).get('PI-3')!;
    expect({ ...back, id: undefined, descriptor: undefined }).toEqual({ ...before, id: undefined, descriptor: undefined });
    expect((await apiCalls()).filter((r) => r.method === 'DELETE').map((r) => `${r.path} ${r.status}`)).toEqual([`${PAYROLL}/${created.id} 200`]);
  });

  it('refuses a PATCH that changes the pay component, naming the field, as Workday\'s validation does', async () => {
    await dest.write('payrollInputs', 'create', 'payrollInputID', [input(4)]);
    const [result] = await dest.write('payrollInputs', 'update', 'payrollInputID', [{ payrollInputID: 'PI-4', 'payComponent.id': PAY_COMPONENTS[1].id }]);
    expect(result).toMatchObject({ outcome: 'failed', errors: [{ field: 'payComponent.id', message: 'Previously added Pay Component for Payroll Input cannot be subsequently changed.' }] });
  });

  it('captures with updatedFrom/updatedTo windows: the next poll asks only for what changed after the last window', async () => {
    const source = workdaySource(new WorkdayApi(ctx.http, workdayConfigSchema.parse(ctx.config)), { settleMs: 0 });
    await dest.write('payrollInputs', 'create', 'payrollInputID', [input(1), input(2)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const first = await source.capture('payrollInputs', null);
    expect(first.changes.map((c) => c.data?.payrollInputID).sort()).toEqual(['PI-1', 'PI-2']);
    expect(first.hasMore).toBe(false);

    await new Promise((resolve) => setTimeout(resolve, 5));
    await dest.write('payrollInputs', 'update', 'payrollInputID', [{ payrollInputID: 'PI-2', comment: 'changed' }]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await source.capture('payrollInputs', first.cursor);
    expect(second.changes.map((c) => [c.data?.payrollInputID, c.data?.comment, c.op])).toEqual([['PI-2', 'changed', 'upsert']]);
    const third = await source.capture('payrollInputs', second.cursor);
    expect(third.changes).toEqual([]);

    const lists = (await apiCalls()).filter((r) => r.method === 'GET' && r.path === PAYROLL).map((r) => new URLSearchParams(r.query));
    expect(lists[0].has('updatedFrom')).toBe(false);
    const from = (first.cursor as { from: number }).from;
    expect(lists[1].get('updatedFrom')).toBe(new Date(from).toISOString());
    expect(Date.parse(lists[1].get('updatedTo')!)).toBeGreaterThanOrEqual(from);
  });

  it('pages with limit 100 and offset until total, since Workday answers at most 100 however many are asked', async () => {
    await admin('POST', 'seed', { objects: { workers: Array.from({ length: 228 }, (_, i) => worker(i + 2)) } });
    const capture = await workdaySource(new WorkdayApi(ctx.http, workdayConfigSchema.parse(ctx.config)), { settleMs: 0 }).capture('workers', null);
    expect(new Set(capture.changes.map((c) => c.recordId)).size).toBe(230);
    const pages = (await apiCalls()).filter((r) => r.path === WORKERS).map((r) => new URLSearchParams(r.query));
    expect(pages.map((q) => [q.get('limit'), q.get('offset')])).toEqual([['100', '0'], ['100', '100'], ['100', '200']]);

    // A window larger than a poll's budget is read across polls, from the offset the cursor keeps.
    const bounded = workdaySource(new WorkdayApi(ctx.http, workdayConfigSchema.parse(ctx.config)), { settleMs: 0, maxChangesPerPoll: 100 });
    const polls = [await bounded.capture('workers', null)];
    while (polls.at(-1)!.hasMore) polls.push(await bounded.capture('workers', polls.at(-1)!.cursor));
    expect(polls.map((p) => p.changes.length)).toEqual([100, 100, 30]);
    expect(new Set(polls.flatMap((p) => p.changes.map((c) => c.recordId))).size).toBe(230);

    const asked = await fetch(`${sandbox.url}${WORKERS}?limit=500`, { headers: { authorization: `Bearer ${await accessToken()}` } });
    const body = await asked.json() as { total: number; data: unknown[] };
    expect([body.total, body.data.length]).toEqual([230, 100]);
  });

  it('answers 429 with Retry-After past the pace it is started with', async () => {
    const limited = await startWorkdaySandbox({ enforceRateLimit: true, rateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const token = await accessToken(limited);
      const statuses: Array<[number, string | null]> = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${limited.url}${WORKERS}`, { headers: { authorization: `Bearer ${token}` } });
        statuses.push([res.status, res.headers.get('retry-after')]);
      }
      expect(statuses.slice(0, 2).map(([s]) => s)).toEqual([200, 200]);
      expect(statuses[2][0]).toBe(429);
      expect(Number(statuses[2][1])).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });

  /** An access token of the sandbox's own (another client of the tenant), from its current refresh token. */
  async function accessToken(target: RunningSandbox = sandbox): Promise<string> {
    const { credentials } = target.credentials() as { credentials: Record<string, string> };
    const res = await fetch(`${target.url}${TOKEN}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.refreshToken, client_id: credentials.clientId, client_secret: credentials.clientSecret }).toString(),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }
});

import type { ConnectorContext, DestinationContract } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { startZendesk, type ZendeskHarness } from '../sandboxes/zendesk-client';

// The Zendesk connector's destination against its sandbox over real HTTP: `{email}/token` Basic
// auth, create_many/update_many/destroy_many jobs polled with heartbeats and their per-item results
// mapped back to records by field, reads by id/email/external_id, confirmed deletes, native ticket
// restore (and re-creation once purged), 422 and 429 read as the platform's error kinds.

jest.setTimeout(60_000);

type Logged = { method: string; path: string; status: number };

describe('Zendesk destination against the sandbox', () => {
  const def = findConnector('zendesk')!;
  let z: ZendeskHarness;
  let ctx: ConnectorContext;
  let beats: unknown[];
  let dest: DestinationContract;

  const requests = async (): Promise<Logged[]> => (await z.admin('GET', 'requests')).body.requests as Logged[];
  const ticket = (ext: string, subject: string, extra: Record<string, unknown> = {}) => ({ external_id: ext, subject, description: `about ${subject}`, ...extra });

  async function start(options: Parameters<typeof startZendesk>[0] = {}) {
    z = await startZendesk(options);
    beats = [];
    ctx = { ...await connectToSandbox(def, z.url), heartbeat: (progress: unknown) => beats.push(progress) };
    dest = def.destination(ctx);
  }
  afterEach(async () => { await z.stop(); });

  it('is registered with tickets and users, and signs requests as `{email}/token` with the API token', async () => {
    await start();
    expect(def.objects.map((o) => [o.name, o.naturalKeys, o.batchSize])).toEqual([['tickets', ['id', 'external_id'], 100], ['users', ['id', 'email', 'external_id'], 100]]);
    expect(def.config.parse({ subdomain: 'acme' })).toEqual({ subdomain: 'acme' });
    await def.check(ctx);
    expect((await requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /api/v2/users/me.json 200']);
    await ctx.saveCredentials({ email: z.email });
    const incomplete = await failureOf(def.check(ctx));
    expect(incomplete).toMatchObject({ kind: 'permanent' });
    expect(incomplete.message).toMatch(/apiToken/);
  });

  it('creates through a create_many job, polled with heartbeats, each result mapped back by index and field', async () => {
    await start({ jobPollsToComplete: 3 });
    const results = await dest.write('tickets', 'create', 'external_id', [
      ticket('t-1', 'one', { priority: 'high', tags: ['vip'] }),
      ticket('t-2', 'two', { priority: 'urgentest' }),
      { external_id: 't-3', subject: 'three' },
      ticket('t-4', 'four', { requester_id: 42 }),
    ]);
    expect(results.map((r) => [r.index, r.outcome, r.errors?.map((e) => e.field)])).toEqual([
      [0, 'created', undefined], [1, 'failed', ['priority']], [2, 'failed', ['description']], [3, 'failed', ['requester_id']],
    ]);
    expect(results[1].errors![0].message).toBe('Priority: is not valid');
    expect(results[0].id).toMatch(/^\d+$/);
    const polls = (await requests()).filter((r) => r.path.startsWith('/api/v2/job_statuses/'));
    expect(polls).toHaveLength(3);
    expect(beats).toEqual([
      expect.objectContaining({ status: 'working' }), expect.objectContaining({ status: 'working' }), expect.objectContaining({ status: 'completed', progress: 4, total: 4 }),
    ]);
    const read = await dest.read('tickets', 'external_id', ['t-1', 't-2']);
    expect(read.get('t-1')).toMatchObject({ id: Number(results[0].id), subject: 'one', description: 'about one', priority: 'high', tags: ['vip'], status: 'new' });
    expect(read.get('t-2')).toBeNull();
  });

  it('upserts users by email (ignoring case): update_many for the found, create_many for the rest', async () => {
    await start();
    const [ada] = (await z.admin('POST', 'seed', { objects: { users: [{ name: 'Ada', email: 'ada@example.com', external_id: 'u-1' }] } })).body.objects.users;
    const results = await dest.write('users', 'upsert', 'email', [{ email: 'ADA@example.com', name: 'Ada Lovelace' }, { email: 'bob@example.com', name: 'Bob' }]);
    expect(results.map((r) => [r.outcome, r.id === String(ada.id)])).toEqual([['updated', true], ['created', false]]);
    const byExternal = await dest.read('users', 'external_id', ['u-1']);
    expect(byExternal.get('u-1')).toMatchObject({ id: ada.id, name: 'Ada Lovelace', email: 'ada@example.com', active: true });
    const paths = (await requests()).map((r) => `${r.method} ${r.path}`);
    expect(paths.filter((p) => /(create|update)_many/.test(p))).toEqual(['POST /api/v2/users/create_many.json', 'PUT /api/v2/users/update_many.json']);
  });

  it('fails updates Zendesk refuses per item (a closed ticket) and refuses what it cannot do before sending', async () => {
    await start();
    const seeded = (await z.admin('POST', 'seed', { objects: { tickets: [{ external_id: 'c-1', subject: 'closed', status: 'closed' }, { external_id: 'o-1', subject: 'open' }] } })).body.objects.tickets;
    const results = await dest.write('tickets', 'update', 'external_id', [{ external_id: 'c-1', subject: 'x' }, { external_id: 'o-1', subject: 'y', description: 'rewritten' }]);
    expect(results.map((r) => r.errors)).toEqual([
      [{ field: 'status', message: 'Status: closed prevents ticket update' }],
      [{ field: 'description', message: expect.stringMatching(/cannot change/) }],
    ]);
    const [byId] = await dest.write('tickets', 'upsert', 'id', [{ id: seeded[1].id, subject: 'z' }]);
    expect(byId.errors?.[0].field).toBe('id');
  });

  it('names a conflict when two live tickets share an external id', async () => {
    await start();
    await z.admin('POST', 'seed', { objects: { tickets: [{ external_id: 'dup', subject: 'a' }, { external_id: 'dup', subject: 'b' }] } });
    const err = await failureOf(dest.read('tickets', 'external_id', ['dup']));
    expect(err).toMatchObject({ kind: 'conflict', fields: [{ field: 'external_id', message: expect.stringMatching(/share external_id dup/) }] });
  });

  it('deletes through destroy_many, confirmed by reads; restores tickets natively with their id, re-creates once purged', async () => {
    await start();
    await z.admin('POST', 'seed', { objects: { tickets: [{ external_id: 'd-1', subject: 'doomed', description: 'first words', priority: 'low' }] } });
    const before = (await dest.read('tickets', 'external_id', ['d-1'])).get('d-1')!;
    expect((await dest.delete('tickets', 'external_id', ['d-1']))[0]).toMatchObject({ outcome: 'deleted', id: String(before.id) });
    expect((await dest.read('tickets', 'id', [String(before.id)])).get(String(before.id))).toBeNull();
    expect(await dest.restore('tickets', 'external_id', before)).toEqual({ id: String(before.id), recreated: false });
    expect((await dest.read('tickets', 'external_id', ['d-1'])).get('d-1')).toMatchObject({ id: before.id, subject: 'doomed', priority: 'low' });

    await dest.delete('tickets', 'id', [String(before.id)]);
    await z.admin('POST', 'clock', { advanceMs: 31 * 86_400_000 });
    const recreated = await dest.restore('tickets', 'external_id', before);
    expect(recreated.recreated).toBe(true);
    expect(recreated.id).not.toBe(String(before.id));
    expect((await dest.read('tickets', 'external_id', ['d-1'])).get('d-1')).toMatchObject({ subject: 'doomed', description: 'first words', priority: 'low' });
  });

  it('catches a delete that lies, and re-creates deleted users (a reused email is refused by field)', async () => {
    await start();
    await z.admin('POST', 'seed', { objects: { users: [{ name: 'Ada', email: 'ada@example.com' }, { name: 'Cy', email: 'cy@example.com' }] } });
    const ada = (await dest.read('users', 'email', ['ada@example.com'])).get('ada@example.com')!;
    await z.admin('POST', 'faults', { faults: [{ kind: 'delete-lies', times: 1 }] });
    const lied = await dest.delete('users', 'email', ['cy@example.com']);
    expect(lied[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'email', message: expect.stringMatching(/still there/) }] });

    expect((await dest.delete('users', 'email', ['ada@example.com']))[0].outcome).toBe('deleted');
    const back = await dest.restore('users', 'email', ada);
    expect(back.recreated).toBe(true);
    expect((await dest.read('users', 'email', ['ada@example.com'])).get('ada@example.com')).toMatchObject({ id: Number(back.id), name: 'Ada' });

    await dest.delete('users', 'id', [back.id]);
    await dest.write('users', 'create', 'email', [{ email: 'ada@example.com', name: 'Someone else' }]);
    const refused = await failureOf(dest.restore('users', 'email', ada));
    expect(refused).toMatchObject({ kind: 'validation', status: 422, code: 'RecordInvalid' });
    expect(refused.fields).toEqual([{ field: 'email', message: 'Email: ada@example.com is already being used by another user' }]);
  });

  it('reads 429 as transient with Retry-After, and waits a rate-limited job poll out instead of sending the batch again', async () => {
    await start();
    await z.admin('POST', 'faults', { faults: [{ path: '/api/v2/tickets/create_many.json', status: 429, retryAfter: 9, times: 1 }] });
    expect(await failureOf(dest.write('tickets', 'create', 'external_id', [ticket('r-1', 'x')]))).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 9000 });
    await z.admin('POST', 'faults', { faults: [{ path: '^/api/v2/job_statuses/', status: 429, retryAfter: 1, times: 1 }] });
    const started = Date.now();
    const [created] = await dest.write('tickets', 'create', 'external_id', [ticket('r-1', 'x')]);
    expect(created.outcome).toBe('created');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const creates = (await requests()).filter((r) => r.path === '/api/v2/tickets/create_many.json').map((r) => r.status);
    expect(creates).toEqual([429, 200]);
  });
});

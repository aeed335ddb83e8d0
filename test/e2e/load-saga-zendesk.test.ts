import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// Loads into Zendesk Support end to end through the REST API, on real Temporal and Postgres,
// against the Zendesk sandbox: writes are background jobs the worker polls (heartbeating) to
// completion. "The sandbox's state" is the live users (deleted ones are kept by Zendesk, inactive)
// and the live tickets, with their content; timestamps are left out (every write moves them).

jest.setTimeout(180_000);

const user = (i: number, tag: string) => ({ email: `person-${i}@example.com`, name: `${tag} ${i}`, role: 'end-user', tags: [tag] });

describe('loads into Zendesk: snapshot, write (jobs), verify, rollback', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('zendesk'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => { await h.admin('POST', 'reset'); });

  async function live(object: 'users' | 'tickets'): Promise<Record<string, Record<string, unknown>>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const r of (await h.admin('GET', 'state')).body.objects[object] as Array<Record<string, unknown>>) {
      if (r.active === false || r.deleted === true) continue;
      const { created_at: _c, updated_at: _u, url: _url, ...content } = r;
      out[String(r.email ?? r.id)] = content;
    }
    return out;
  }
  async function startLoad(object: string, body: Record<string, unknown>): Promise<string> {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object, ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  it('upserts users by email through create_many and update_many jobs, and a rollback leaves Zendesk as it was', async () => {
    await h.admin('POST', 'seed', { objects: { users: [0, 1, 2].map((i) => user(i, 'before')) } });
    const before = await live('users');
    const id = await startLoad('users', { operation: 'upsert', naturalKey: 'email', records: [0, 1, 2, 3, 4].map((i) => user(i, 'after')) });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 5, created: 2, updated: 3, failed: 0, verified: 5 });
    const jobs = ((await h.admin('GET', 'requests')).body.requests as Array<{ path: string }>).filter((r) => /_many|job_statuses/.test(r.path)).map((r) => r.path.replace(/[0-9a-f]{32}/, '<job>'));
    expect(jobs).toEqual(expect.arrayContaining(['/api/v2/users/create_many.json', '/api/v2/users/update_many.json', '/api/v2/job_statuses/<job>.json']));

    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await live('users')).toEqual(before);
  });

  it('fails the record a job refuses, by field, and rolls the load back by default', async () => {
    const id = await startLoad('tickets', { operation: 'upsert', naturalKey: 'external_id', records: [
      { external_id: 't-1', subject: 'fine', description: 'first words', priority: 'high' },
      { external_id: 't-2', subject: 'bad', description: 'first words', priority: 'urgentest' },
    ] });
    expect((await h.waitForLoad(id, ['rolled_back', 'failed', 'completed'])).status).toBe('rolled_back');
    const [failed] = await h.allRecords(id, 'failed');
    expect(failed).toMatchObject({ index: 1, errors: [{ field: 'priority', message: 'Priority: is not valid' }] });
    expect(await live('tickets')).toEqual({});
  });

  it('deletes tickets, and a rollback restores them natively with their ids', async () => {
    const seeded = (await h.admin('POST', 'seed', { objects: { tickets: [{ external_id: 'd-1', subject: 'keep me', description: 'words', priority: 'low' }] } })).body.objects.tickets;
    const before = await live('tickets');
    const id = await startLoad('tickets', { operation: 'delete', naturalKey: 'external_id', records: [{ external_id: 'd-1' }] });
    expect((await h.waitForLoad(id, ['completed', 'failed'])).counts).toMatchObject({ deleted: 1, failed: 0 });
    expect(await live('tickets')).toEqual({});
    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await live('tickets')).toEqual(before);
    expect(Object.keys(await live('tickets'))).toEqual([String(seeded[0].id)]);
    expect(JSON.stringify(await h.allRecords(id))).toContain('restored from the archive');
  });

  it('captures tickets into the Stream through the incremental export, deletes included', async () => {
    await h.admin('POST', 'seed', { objects: { tickets: [{ subject: 'a', updated_at: '2025-01-01T00:00:00Z' }, { subject: 'b', updated_at: '2025-01-01T00:00:01Z', deleted: true }] } });
    const res = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: 'tickets', intervalSeconds: 1 });
    expect(res.status).toBe(201);
    try {
      const events = await waitFor('two captured tickets', async () => {
        const page = await h.api('GET', `/v1/stream?${new URLSearchParams({ connectionId: h.connectionId, object: 'tickets', limit: '100' })}`);
        return page.body.events.length >= 2 ? page.body.events : undefined;
      });
      expect(events.map((e: any) => [e.op, e.data?.subject ?? null])).toEqual([['upsert', 'a'], ['delete', null]]);
    } finally {
      await h.api('DELETE', `/v1/captures/${res.body.id}`);
    }
  });
});

import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// Loads and capture end to end through the REST API, on real Temporal and Postgres, against the
// FreshBooks sandbox. "The business's state" is its clients that are not deleted, by email, with
// their writable fields (`updated` moves with every write; deleted clients stay, vis_state 1).

jest.setTimeout(180_000);

interface StreamEvent { offset: number; recordId: string; op: 'upsert' | 'delete'; version: string; data: Record<string, unknown> | null }

describe('loads into FreshBooks: snapshot, write, verify, rollback; capture', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('freshbooks'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => { await h.admin('POST', 'reset'); });

  const clients = (from: number, to: number, tag: string) =>
    Array.from({ length: to - from }, (_, i) => ({ email: `p${from + i}@example.com`, fname: `${tag}-${from + i}`, organization: `Org ${from + i}` }));

  async function liveClients(): Promise<Record<string, Record<string, unknown>>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const c of (await h.admin('GET', 'state')).body.objects.clients as any[]) {
      if (c.vis_state === 1) continue;
      out[c.email] = { id: c.id, fname: c.fname, organization: c.organization, note: c.note ?? null };
    }
    return out;
  }
  async function startLoad(body: Record<string, unknown>) {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'clients', naturalKey: 'email', ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  it('upserts 30 clients by email (10 existing), then rolls back: updates restored, creates soft-deleted', async () => {
    await h.admin('POST', 'seed', { objects: { clients: clients(0, 10, 'before').map((c) => ({ ...c, note: 'seeded' })) } });
    const before = await liveClients();
    const id = await startLoad({ operation: 'upsert', records: clients(0, 30, 'after') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load).toMatchObject({ status: 'completed', counts: { total: 30, created: 20, updated: 10, failed: 0, verified: 30 } });
    expect(Object.keys(await liveClients())).toHaveLength(30);

    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await liveClients()).toEqual(before);
    expect((await h.allRecords(id)).every((r) => r.status === 'rolled_back')).toBe(true);
    const deleted = ((await h.admin('GET', 'state')).body.objects.clients as any[]).filter((c) => c.vis_state === 1);
    expect(deleted).toHaveLength(20);
  });

  it('deletes clients (vis_state 1); the rollback restores the same ids (vis_state 0)', async () => {
    const seeded = (await h.admin('POST', 'seed', { objects: { clients: clients(0, 3, 'keep') } })).body.objects.clients as any[];
    const before = await liveClients();
    const id = await startLoad({ operation: 'delete', records: [{ email: 'p0@example.com' }, { email: 'p2@example.com' }] });
    expect((await h.waitForLoad(id, ['completed', 'failed', 'rolled_back'])).counts).toMatchObject({ deleted: 2, failed: 0 });
    expect(Object.keys(await liveClients())).toEqual(['p1@example.com']);
    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await liveClients()).toEqual(before);
    const records = await h.allRecords(id);
    expect(records.map((r) => [r.key, r.id, r.rollbackNote])).toEqual([
      ['p0@example.com', String(seeded[0].id), 'restored from the archive'],
      ['p2@example.com', String(seeded[2].id), 'restored from the archive'],
    ]);
  });

  it('captures into the Stream: a backfill, then a client a load deletes, as a delete', async () => {
    const seeded = (await h.admin('POST', 'seed', { objects: { clients: clients(0, 2, 'cap') } })).body.objects.clients as any[];
    const [a, b] = seeded.map((c) => String(c.id));
    const started = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: 'clients', intervalSeconds: 1 });
    expect(started.status).toBe(201);
    const stream = async (): Promise<StreamEvent[]> =>
      (await h.api('GET', `/v1/stream?${new URLSearchParams({ connectionId: h.connectionId, object: 'clients', limit: '100' })}`)).body.events;
    await waitFor('the backfill', async () => (await stream()).length >= 2, 60_000);
    const id = await startLoad({ operation: 'delete', records: [{ email: 'p1@example.com' }] });
    expect((await h.waitForLoad(id, ['completed', 'failed'])).counts).toMatchObject({ deleted: 1 });
    const events = await waitFor('the delete', async () => { const all = await stream(); return all.length >= 3 && all; }, 60_000);
    expect(events.map((e) => `${e.recordId}:${e.op}`)).toEqual([`${a}:upsert`, `${b}:upsert`, `${b}:delete`]);
    expect(events[0].data).toMatchObject({ email: 'p0@example.com' });
    expect((await h.api('DELETE', `/v1/captures/${started.body.id}`)).status).toBe(204);
  });
});

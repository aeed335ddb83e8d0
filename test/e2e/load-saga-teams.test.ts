import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitUntil } from '../helpers/wait';

// Loads into a Teams channel end to end through the REST API, on real Temporal and Postgres,
// against the Teams sandbox. "The channel's state" is its live messages (not soft-deleted) by id
// with their stored body and thread: soft delete and undoSoftDelete keep ids, so a rollback gives
// back exactly the same messages.
const TEAM = '172b0cce-e65d-44ce-9a49-91d9f2e8593a';
const CHANNEL = '19:loads0001@thread.tacv2';
const OBJECT = `messages:${TEAM}/${CHANNEL}`;
const POST_PATH = '^/v1.0/teams/.+/messages$';

const marker = (origin: string) => `<span data-forge-origin="${origin}" data-forge-type="text"></span>`;

jest.setTimeout(90_000);

describe('loads into a Teams channel: snapshot, write, verify, rollback', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('teams'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => {
    await h.admin('POST', 'reset');
    await h.admin('POST', 'seed', { objects: { teams: [{ id: TEAM }], channels: [{ id: CHANNEL, teamId: TEAM }] } });
  });

  async function seedMessages(n: number) {
    const messages = Array.from({ length: n }, (_, i) => ({ teamId: TEAM, channelId: CHANNEL, body: { contentType: 'html', content: `seed ${i}${marker(`seed-${i}`)}` } }));
    expect((await h.admin('POST', 'seed', { objects: { messages } })).status).toBe(200);
  }
  async function channelState(): Promise<Record<string, { body: unknown; replyToId: unknown }>> {
    const out: Record<string, { body: unknown; replyToId: unknown }> = {};
    for (const m of (await h.admin('GET', 'state')).body.objects.messages as any[]) {
      if (m.deletedDateTime === null && m.channelIdentity.channelId === CHANNEL) out[m.id] = { body: m.body, replyToId: m.replyToId };
    }
    return out;
  }
  async function startLoad(body: Record<string, unknown>) {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: OBJECT, naturalKey: 'forge_origin', ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }
  async function attemptsOf(id: string): Promise<number[]> {
    const history = await h.temporal.workflow.getHandle(`load-${h.tenantId}-${id}`).fetchHistory();
    return (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
  }
  const posts = (from: number, to: number, tag: string) => Array.from({ length: to - from }, (_, i) => ({ forge_origin: `${tag}-${from + i}`, content: `${tag} message ${from + i}` }));

  it('posts 30 messages, one request each, and verifies every one', async () => {
    const id = await startLoad({ operation: 'create', records: posts(0, 30, 'load') });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back'], 60_000);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 30, created: 30, failed: 0, verified: 30 });
    const state = Object.values(await channelState());
    expect(state).toHaveLength(30);
    expect(state.every((m: any) => /data-forge-origin="load-\d+"/.test(m.body.content))).toBe(true);
    const creates = ((await h.admin('GET', 'requests')).body.requests as any[]).filter((r) => r.method === 'POST' && /\/messages$/.test(r.path));
    expect(creates).toHaveLength(30);
  });

  it('cancelled midway, gives the channel back its before-state', async () => {
    await seedMessages(5);
    const before = await channelState();
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: POST_PATH, latencyMs: 150 }] });
    const id = await startLoad({ operation: 'create', records: posts(0, 60, 'cancel') });
    await waitUntil(async () => (await h.api('GET', `/v1/loads/${id}`)).body.counts.created > 0);
    expect((await h.api('POST', `/v1/loads/${id}/cancel`)).status).toBe(202);
    const load = await h.waitForLoad(id, ['cancelled', 'failed', 'completed'], 60_000);
    expect(load.status).toBe('cancelled');
    expect(load.counts.created).toBeLessThan(60);
    expect(await channelState()).toEqual(before);
    expect(await h.allRecords(id, 'rollback_failed')).toEqual([]);
  });

  it('rolled back after completion, restores edited messages and undeletes deleted ones with their ids', async () => {
    await seedMessages(8);
    const before = await channelState();
    const update = await startLoad({ operation: 'update', records: [0, 1, 2].map((i) => ({ forge_origin: `seed-${i}`, content: `edited ${i}` })) });
    expect((await h.waitForLoad(update, ['completed', 'failed'], 60_000)).counts).toMatchObject({ updated: 3, verified: 3 });
    const del = await startLoad({ operation: 'delete', records: [5, 6, 7].map((i) => ({ forge_origin: `seed-${i}` })) });
    expect((await h.waitForLoad(del, ['completed', 'failed'], 60_000)).counts.deleted).toBe(3);
    expect(Object.keys(await channelState())).toHaveLength(5);

    expect((await h.api('POST', `/v1/loads/${del}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(del, ['rolled_back', 'failed'], 60_000)).status).toBe('rolled_back');
    expect((await h.allRecords(del)).every((r) => r.status === 'rolled_back')).toBe(true);
    expect((await h.api('POST', `/v1/loads/${update}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(update, ['rolled_back', 'failed'], 60_000)).status).toBe('rolled_back');
    expect(await channelState()).toEqual(before);
  });

  it('stops at a 401 midway after one attempt of every activity, and rolls back what was posted', async () => {
    await seedMessages(3);
    const before = await channelState();
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: POST_PATH, latencyMs: 100 }] });
    const id = await startLoad({ operation: 'create', records: posts(0, 80, 'auth') });
    await waitUntil(async () => (await h.api('GET', `/v1/loads/${id}`)).body.counts.created > 0);
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: POST_PATH, status: 401 }] });
    const load = await h.waitForLoad(id, ['rolled_back', 'failed', 'completed'], 60_000);
    expect(load.status).toBe('rolled_back');
    expect(load.error?.message).toMatch(/401/);
    expect(await channelState()).toEqual(before);
    expect((await attemptsOf(id)).every((a) => a === 1)).toBe(true);
  });
});


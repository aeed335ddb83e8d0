import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// Loads of Slack messages end to end through the REST API, on real Temporal and Postgres, against
// the Slack sandbox. Messages are keyed by forge_origin (Slack chooses ts on post).
const CHANNEL = 'C0LOAD0001';
const OBJECT = `messages:${CHANNEL}`;

jest.setTimeout(90_000);

function messages(from: number, to: number) {
  return Array.from({ length: to - from }, (_, i) => ({ forge_origin: `load:${from + i}`, text: `message ${from + i}` }));
}

describe('loads into Slack: post, verify, rollback', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('slack'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => {
    await h.admin('POST', 'reset');
    await h.admin('POST', 'seed', { objects: { channels: [{ id: CHANNEL, name: 'loads' }], messages: [{ channel: CHANNEL, text: 'already here' }] } });
  });

  async function channelState() {
    return ((await h.admin('GET', 'state')).body.objects.messages as any[]).map((m) => ({ ts: m.ts, text: m.text }));
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
  async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('condition not met in time');
  }

  it('posts 30 messages in order and verifies every one', async () => {
    const id = await startLoad({ operation: 'create', records: messages(0, 30) });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 30, created: 30, failed: 0, verified: 30 });
    const state = await channelState();
    const texts = state.map((m) => m.text);
    expect(texts[0]).toBe('already here');
    expect([...texts.slice(1)].sort()).toEqual(messages(0, 30).map((m) => m.text).sort());
    // Within a chunk (20 messages) messages are posted one at a time, in load order; the workflow may run chunks side by side.
    const positions = messages(0, 20).map((m) => texts.indexOf(m.text));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const records = await h.allRecords(id);
    expect(records.every((r) => r.status === 'created')).toBe(true);
  });

  it('cancelled midway, deletes what it posted: the channel is as before', async () => {
    const before = await channelState();
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/api/chat.postMessage', latencyMs: 100 }] });
    const id = await startLoad({ operation: 'create', records: messages(0, 60) });
    await waitFor(async () => (await channelState()).length > before.length);
    expect((await h.api('POST', `/v1/loads/${id}/cancel`)).status).toBe(202);
    const load = await h.waitForLoad(id, ['cancelled', 'failed', 'completed']);
    expect(load.status).toBe('cancelled');
    expect(await channelState()).toEqual(before);
    expect(await h.allRecords(id, 'rollback_failed')).toEqual([]);
  });

  it('stops at a 401 midway after one attempt, and rolls back what was posted', async () => {
    const before = await channelState();
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/api/chat.postMessage', latencyMs: 150 }] });
    const id = await startLoad({ operation: 'create', records: messages(0, 60) });
    await waitFor(async () => (await channelState()).length > before.length);
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: '/api/chat.postMessage', status: 401 }] });
    const load = await h.waitForLoad(id, ['rolled_back', 'failed', 'completed']);
    expect(load.status).toBe('rolled_back');
    expect(load.error?.message).toMatch(/invalid_auth/);
    expect(await channelState()).toEqual(before);
    expect((await attemptsOf(id)).every((a) => a === 1)).toBe(true);
  });
});

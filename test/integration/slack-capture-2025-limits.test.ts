import { slackConnector } from '../../src/connectors/slack';
import type { ChangeEvent } from '../../src/connectors/contract';
import { isConnectorError } from '../../src/platform/errors';
import { startSlackSandbox } from '../../sandboxes/slack';
import type { RunningSandbox } from '../../sandboxes/kit';
import { connectToSandbox } from '../helpers/sandbox-connection';

// Capture under Slack's limits for non-Marketplace apps since 2025-05-29
// (docs.slack.dev/reference/methods/conversations.history and .replies: 1 request a minute, at most
// 15 messages a page). A poll spans several capture calls: each reads until Slack answers 429, keeps
// what it read in the cursor, and the next call (after Retry-After, here a minute of the sandbox
// clock) goes on from there. Nothing is read twice and the poll completes.

const CHANNEL = 'C0LIMIT001';
const OBJECT = `messages:${CHANNEL}`;
const PERSON_TOKEN = 'xoxp-person-capture-2025';

describe('slack capture under the 2025 non-Marketplace limits', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => { sandbox = await startSlackSandbox({ appDistribution: 'non-marketplace-2025', people: { [PERSON_TOKEN]: 'U0PERSON01' } }); });
  afterAll(async () => { await sandbox?.stop(); });

  async function admin(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${sandbox.url}/__sandbox/${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return res.json();
  }
  async function post(text: string, threadTs?: string): Promise<string> {
    const res = await fetch(`${sandbox.url}/api/chat.postMessage`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${PERSON_TOKEN}` },
      body: JSON.stringify({ channel: CHANNEL, text, ...(threadTs ? { thread_ts: threadTs } : {}) }),
    });
    const body = (await res.json()) as { ok: boolean; ts: string };
    if (!body.ok) throw new Error(`post failed: ${JSON.stringify(body)}`);
    return body.ts;
  }
  async function reads(): Promise<Array<{ path: string; status: number; query: string }>> {
    return ((await admin('GET', 'requests')).requests as Array<{ path: string; status: number; query: string }>)
      .filter((r) => r.path === '/api/conversations.history' || r.path === '/api/conversations.replies');
  }

  /**
   * Captures until a poll completes, as the capture workflow does: a page with hasMore is followed
   * at once; a call refused before reading anything (429) is retried after its Retry-After, which
   * the sandbox clock skips. The cursor goes through JSON as Postgres keeps it.
   */
  async function captureUntilDone(source: ReturnType<typeof slackConnector.source>, start: unknown) {
    let cursor = start;
    const events: ChangeEvent[] = [];
    let calls = 0;
    let refused = 0;
    for (;;) {
      calls += 1;
      if (calls > 40) throw new Error('the poll did not complete in 40 calls');
      try {
        const page = await source.capture(OBJECT, cursor);
        events.push(...page.changes);
        cursor = JSON.parse(JSON.stringify(page.cursor));
        if (!page.hasMore) return { events, cursor, calls, refused };
      } catch (err) {
        if (!isConnectorError(err) || err.status !== 429) throw err;
        refused += 1;
        await admin('POST', 'clock', { advanceMs: (err.retryAfterMs ?? 60_000) + 1000 });
      }
    }
  }

  it('captures a channel of 20 messages and 3 threads with replies completely, each message once, no page read twice', async () => {
    await admin('POST', 'reset');
    await admin('POST', 'seed', { objects: { channels: [{ id: CHANNEL, name: 'limits' }] } });
    const top: string[] = [];
    for (let i = 0; i < 20; i += 1) top.push(await post(`message ${i}`));
    const replies: string[] = [];
    for (const parent of [top[2]!, top[10]!, top[18]!]) for (let i = 0; i < 3; i += 1) replies.push(await post(`reply ${i} to ${parent}`, parent));
    for (let i = 0; i < 17; i += 1) replies.push(await post(`long thread reply ${i}`, top[5]!)); // a thread of two pages
    await admin('DELETE', 'requests');

    const ctx = await connectToSandbox(slackConnector, sandbox.url);
    const { events, cursor, refused } = await captureUntilDone(slackConnector.source(ctx), null);

    const upserts = events.filter((e) => e.op === 'upsert').map((e) => e.recordId);
    expect([...upserts].sort()).toEqual([...top, ...replies].sort());
    expect(new Set(upserts).size).toBe(upserts.length); // each once
    expect(events.filter((e) => e.op === 'delete')).toEqual([]);
    expect(refused).toBeGreaterThan(0); // the limits were met, not avoided

    // Top-level messages arrive oldest first, and each thread's replies after its parent, oldest first.
    const position = new Map(upserts.map((ts, i) => [ts, i]));
    const topOrder = top.map((ts) => position.get(ts)!);
    expect(topOrder).toEqual([...topOrder].sort((a, b) => a - b));
    for (const e of events.filter((x) => x.data && x.data.thread_ts && x.data.thread_ts !== x.recordId)) {
      expect(position.get(e.recordId)!).toBeGreaterThan(position.get(String(e.data!.thread_ts))!);
    }

    // Progress made before a 429 is never redone: every page answered 200 was asked for once.
    const answered = (await reads()).filter((r) => r.status === 200).map((r) => {
      const q = new URLSearchParams(r.query);
      return JSON.stringify([r.path, q.get('ts') ?? '', q.get('cursor') ?? '']);
    });
    expect(new Set(answered).size).toBe(answered.length);
    expect(answered).toHaveLength(2 + 3 + 2); // 20 messages: 2 history pages; 3 short threads; one of 17 replies: 2 pages

    // The next poll starts from the finished one: nothing new, nothing emitted again.
    const again = await captureUntilDone(slackConnector.source(ctx), cursor);
    expect(again.events).toEqual([]);
  });

  it('a poll interrupted by the limits still sees an edit and a delete made meanwhile on the next poll', async () => {
    await admin('POST', 'reset');
    await admin('POST', 'seed', { objects: { channels: [{ id: CHANNEL, name: 'limits' }] } });
    const top: string[] = [];
    for (let i = 0; i < 16; i += 1) top.push(await post(`message ${i}`));
    const ctx = await connectToSandbox(slackConnector, sandbox.url);
    const source = slackConnector.source(ctx);
    const first = await captureUntilDone(source, null);
    expect(first.events.map((e) => e.recordId).sort()).toEqual([...top].sort());

    await admin('POST', 'clock', { advanceMs: 61_000 });
    const edit = await fetch(`${sandbox.url}/api/chat.update`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${PERSON_TOKEN}` },
      body: JSON.stringify({ channel: CHANNEL, ts: top[3], text: 'edited' }),
    });
    expect(((await edit.json()) as { ok: boolean }).ok).toBe(true);
    const del = await fetch(`${sandbox.url}/api/chat.delete`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${PERSON_TOKEN}` },
      body: JSON.stringify({ channel: CHANNEL, ts: top[15] }),
    });
    expect(((await del.json()) as { ok: boolean }).ok).toBe(true);

    const second = await captureUntilDone(source, first.cursor);
    expect(second.events.map((e) => [e.recordId, e.op])).toEqual(expect.arrayContaining([[top[3], 'upsert'], [top[15], 'delete']]));
    expect(second.events).toHaveLength(2);
  });
});

import { slackConnector } from '../../src/connectors/slack';
import type { ChangeEvent } from '../../src/connectors/contract';
import { isConnectorError } from '../../src/platform/errors';
import { startSlackSandbox } from '../../sandboxes/slack';
import type { RunningSandbox } from '../../sandboxes/kit';
import { connectToSandbox } from '../helpers/sandbox-connection';

// Capture under Slack's limits for non-Marketplace apps since 2025-05-29
// (docs.slack.dev/reference/methods/conversations.history and .replies: 1 request a minute, at most
// 15 messages a page). A poll spans several capture calls: each reads until Slack answers 429, keeps
// where it stands in the cursor (positions, never messages), and the next call (after Retry-After,
// here a minute of the sandbox clock) goes on from there. No request is made twice (history pages
// newer than the oldest are read again by their range, to be emitted oldest first) and the poll completes.

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
  async function captureUntilDone(source: ReturnType<typeof slackConnector.source>, start: unknown, options: { maxCalls?: number; onCursor?: (stored: string) => void } = {}) {
    const maxCalls = options.maxCalls ?? 40;
    let cursor = start;
    const events: ChangeEvent[] = [];
    let calls = 0;
    let refused = 0;
    for (;;) {
      calls += 1;
      if (calls > maxCalls) throw new Error(`the poll did not complete in ${maxCalls} calls`);
      try {
        const page = await source.capture(OBJECT, cursor);
        events.push(...page.changes);
        const stored = JSON.stringify(page.cursor);
        options.onCursor?.(stored);
        cursor = JSON.parse(stored);
        if (!page.hasMore) return { events, cursor, calls, refused };
      } catch (err) {
        if (!isConnectorError(err) || err.status !== 429) throw err;
        refused += 1;
        await admin('POST', 'clock', { advanceMs: (err.retryAfterMs ?? 60_000) + 1000 });
      }
    }
  }

  it('captures a channel of 20 messages and 3 threads with replies completely, each message once, no request made twice', async () => {
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

    // Progress made before a 429 is never redone: every page answered 200 was asked for once. The
    // cursor holds no messages, so the newer history page is read again (by its range) to be
    // emitted after the older one.
    const answered = (await reads()).filter((r) => r.status === 200).map((r) => {
      const q = new URLSearchParams(r.query);
      return JSON.stringify([r.path, q.get('ts') ?? '', q.get('cursor') ?? '', q.get('oldest') ?? '', q.get('latest') ?? '']);
    });
    expect(new Set(answered).size).toBe(answered.length);
    // 20 messages: 2 history pages walked, the newer one read again; 3 short threads; one of 17 replies: 2 pages
    expect(answered).toHaveLength(2 + 1 + 3 + 2);

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

  it('keeps the cursor small and free of messages through the first sync of a channel of 300 messages', async () => {
    // 300 top-level messages two days old (outside the re-scan window and the 24 h thread follow),
    // 10 of them with 3 replies: 20 history pages of 15 under the 2025 limits.
    const CANARY = 'canary-text-5d1c';
    const base = Math.floor(Date.now() / 1000) - 2 * 86_400;
    const top = Array.from({ length: 300 }, (_, i) => `${base + i}.000100`);
    const replies = top.filter((_, i) => i % 30 === 0).flatMap((parent, t) => [1, 2, 3].map((k) => ({ parent, ts: `${base + t * 30}.00020${k}` })));
    await admin('POST', 'reset');
    await admin('POST', 'seed', {
      objects: {
        channels: [{ id: CHANNEL, name: 'limits' }],
        messages: [
          ...top.map((ts, i) => ({ channel: CHANNEL, ts, text: `${CANARY} message ${i}`, user: 'U0PERSON01' })),
          ...replies.map((r) => ({ channel: CHANNEL, ts: r.ts, thread_ts: r.parent, text: `${CANARY} reply`, user: 'U0PERSON01' })),
        ],
      },
    });

    // The bound: about 300 bytes of fixed fields, 17 per history page still to emit (19 here), 20
    // per thread queued (at most a page's 15 parents, and the followed ones), and a message's
    // version for each message in the re-scan window (none here). The old cursor held every
    // top-level message read, text and all, until history was read through.
    const BOUND = 1_024;
    const sizes: number[] = [];
    const ctx = await connectToSandbox(slackConnector, sandbox.url);
    const { events, refused } = await captureUntilDone(slackConnector.source(ctx), null, {
      maxCalls: 120,
      onCursor: (stored) => {
        sizes.push(Buffer.byteLength(stored));
        expect(stored).not.toContain(CANARY);
      },
    });

    expect(refused).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(BOUND);
    const upserts = events.filter((e) => e.op === 'upsert').map((e) => e.recordId);
    expect([...upserts].sort()).toEqual([...top, ...replies.map((r) => r.ts)].sort());
    expect(new Set(upserts).size).toBe(upserts.length);
    const topEmitted = upserts.filter((ts) => top.includes(ts));
    expect(topEmitted).toEqual(top); // oldest first
    const position = new Map(upserts.map((ts, i) => [ts, i]));
    for (const r of replies) expect(position.get(r.ts)!).toBeGreaterThan(position.get(r.parent)!);
    console.log(`slack 300-message first sync: ${sizes.length} cursors stored, largest ${Math.max(...sizes)} bytes`);
  });

  it('a poll under way in a cursor written before polls kept positions only starts again, losing nothing', async () => {
    await admin('POST', 'reset');
    await admin('POST', 'seed', { objects: { channels: [{ id: CHANNEL, name: 'limits' }] } });
    const top: string[] = [];
    for (let i = 0; i < 16; i += 1) top.push(await post(`message ${i}`));
    const legacy = {
      latest: null, known: {}, threads: [],
      poll: { startedAt: Date.now(), scanFrom: 0, historyNext: 'bmV4dF90czox', pending: [{ type: 'message', ts: top[15], text: 'message 15' }], threads: [], scanned: [], seen: {} },
    };
    const ctx = await connectToSandbox(slackConnector, sandbox.url);
    const { events } = await captureUntilDone(slackConnector.source(ctx), legacy);
    expect(events.map((e) => e.recordId)).toEqual(top);
  });
});

import fc from 'fast-check';
import { startSlackSandbox } from '../../sandboxes/slack';
import type { RunningSandbox } from '../../sandboxes/kit';
import { sandboxAdmin } from '../helpers/sandbox-connection';

// The Slack sandbox answering as Slack does (issue 24, item 6): errors on HTTP 200 (only rate
// limits are 429), cursors keyed by ts that hold still while messages arrive between pages.
const CHANNEL = 'C0STRICT01';

describe('slack sandbox: answers as Slack does', () => {
  let sb: RunningSandbox;
  const admin = sandboxAdmin(() => sb.url);
  let token: string;
  beforeAll(async () => { sb = await startSlackSandbox(); });
  afterAll(async () => { await sb?.stop(); });
  beforeEach(async () => {
    await admin('POST', 'reset');
    await admin('DELETE', 'faults');
    await admin('POST', 'seed', { objects: { channels: [{ id: CHANNEL, name: 'strict' }] } });
    token = (sb.credentials().credentials as { botToken: string }).botToken;
  });

  async function call(method: string, args: Record<string, string>, get = false) {
    const res = await fetch(`${sb.url}/api/${method}${get ? `?${new URLSearchParams(args)}` : ''}`, {
      method: get ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(get ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      body: get ? undefined : new URLSearchParams(args).toString(),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
  }
  const post = async (text: string, threadTs?: string): Promise<string> => {
    const r = await call('chat.postMessage', { channel: CHANNEL, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
    expect(r.body.ok).toBe(true);
    return r.body.ts as string;
  };

  it('answers every injected failure on HTTP 200 with ok:false and the error it stands for; only 429 keeps its status and Retry-After', async () => {
    const answers: Array<[number, number, unknown]> = [];
    for (const status of [400, 401, 403, 404, 500, 503, 429]) {
      await admin('POST', 'faults', { faults: [{ status, times: 1, ...(status === 429 ? { retryAfter: 3 } : {}) }] });
      const r = await call('conversations.history', { channel: CHANNEL }, true);
      answers.push([status, r.status, r.body]);
      if (status === 429) expect(r.retryAfter).toBe('3');
    }
    expect(answers).toEqual([
      [400, 200, { ok: false, error: 'invalid_arguments' }],
      [401, 200, { ok: false, error: 'invalid_auth' }],
      [403, 200, { ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'channels:history' }],
      [404, 200, { ok: false, error: 'unknown_method' }],
      [500, 200, { ok: false, error: 'internal_error' }],
      [503, 200, { ok: false, error: 'service_unavailable' }],
      [429, 429, { ok: false, error: 'ratelimited' }],
    ]);
    expect(await call('chat.frobnicate', {})).toMatchObject({ status: 200, body: { ok: false, error: 'unknown_method' } });
    expect(await call('conversations.history', { channel: CHANNEL, cursor: 'bm9wZQ==' }, true)).toMatchObject({ status: 200, body: { ok: false, error: 'invalid_cursor' } });
  });

  it("cursors are base64 of next_ts:<ts>, like Slack's", async () => {
    for (let i = 0; i < 3; i += 1) await post(`m${i}`);
    const first = await call('conversations.history', { channel: CHANNEL, limit: '2' }, true);
    const cursor = first.body.response_metadata.next_cursor as string;
    expect(Buffer.from(cursor, 'base64').toString()).toMatch(/^next_ts:\d{16}$/);
  });

  // Paging while messages are posted and deleted: every message there throughout is seen exactly
  // once, in order (an offset cursor skips one for each post between pages of history).
  it('history and replies paging skips and repeats nothing while messages are posted or deleted between pages', async () => {
    const step = fc.record({ posts: fc.nat(3), deleteAt: fc.option(fc.nat(40), { nil: undefined }) });
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 6 }), fc.array(step, { maxLength: 12 }), async (initial, limit, steps) => {
      await admin('POST', 'reset');
      await admin('POST', 'seed', { objects: { channels: [{ id: CHANNEL }] } });
      const parent = await post('parent');
      const top: string[] = [parent];
      const replies: string[] = [];
      for (let i = 0; i < initial; i += 1) {
        top.push(await post(`top ${i}`));
        replies.push(await post(`reply ${i}`, parent));
      }
      for (const [method, extra, order] of [['conversations.history', {}, -1], ['conversations.replies', { ts: parent }, 1]] as const) {
        const there = new Set(method === 'conversations.history' ? top : [parent, ...replies]);
        const deleted = new Set<string>();
        const seen: string[] = [];
        let cursor: string | undefined;
        let i = 0;
        do {
          const r = await call(method, { channel: CHANNEL, limit: String(limit), ...extra, ...(cursor ? { cursor } : {}) }, true);
          expect(r.body.ok).toBe(true);
          seen.push(...r.body.messages.map((m: { ts: string }) => m.ts));
          cursor = r.body.response_metadata?.next_cursor;
          const between = steps[i++] ?? { posts: 0 }; // a finite walk: new replies would otherwise keep it going
          for (let p = 0; p < between.posts; p += 1) await post('between', method === 'conversations.replies' ? parent : undefined);
          const victims = [...there].filter((ts) => ts !== parent && !deleted.has(ts));
          if (between.deleteAt !== undefined && victims.length > 0) {
            const victim = victims[between.deleteAt % victims.length];
            await call('chat.delete', { channel: CHANNEL, ts: victim });
            deleted.add(victim);
          }
        } while (cursor);
        expect(new Set(seen).size).toBe(seen.length);
        const sorted = [...seen].sort((a, b) => order * (Number(a) - Number(b)));
        expect(seen).toEqual(sorted);
        for (const ts of there) if (!deleted.has(ts)) expect(seen).toContain(ts);
      }
    }), { numRuns: 15 });
  });

  it('a deleted thread parent with replies stays as a tombstone; replies name the starter as parent_user_id; the last reply takes it away', async () => {
    const parent = await post('parent');
    const reply = await post('reply', parent);
    expect((await call('chat.delete', { channel: CHANNEL, ts: parent })).body).toEqual({ ok: true, channel: CHANNEL, ts: parent });
    const history = await call('conversations.history', { channel: CHANNEL }, true);
    expect(history.body.messages).toEqual([expect.objectContaining({
      type: 'message', subtype: 'tombstone', text: 'This message was deleted.', user: 'USLACKBOT', hidden: true, ts: parent, thread_ts: parent, reply_count: 1,
    })]);
    const thread = await call('conversations.replies', { channel: CHANNEL, ts: parent }, true);
    expect(thread.body.messages.map((m: any) => [m.ts, m.subtype, m.parent_user_id])).toEqual([[parent, 'tombstone', undefined], [reply, undefined, 'U0SBXBOT01']]);
    expect((await call('chat.delete', { channel: CHANNEL, ts: parent })).body).toEqual({ ok: false, error: 'message_not_found' });
    expect((await call('chat.update', { channel: CHANNEL, ts: parent, text: 'x' })).body).toEqual({ ok: false, error: 'message_not_found' });
    const late = await post('a reply to the tombstone', parent);
    expect((await call('conversations.replies', { channel: CHANNEL, ts: parent }, true)).body.messages.map((m: any) => m.ts)).toEqual([parent, reply, late]);
    await call('chat.delete', { channel: CHANNEL, ts: reply });
    await call('chat.delete', { channel: CHANNEL, ts: late });
    expect((await call('conversations.history', { channel: CHANNEL }, true)).body.messages).toEqual([]);
  });

  it('a reply to a thread whose parent is gone is accepted and seen by nobody; a malformed thread_ts is invalid_thread_ts', async () => {
    const gone = await post('soon gone');
    await call('chat.delete', { channel: CHANNEL, ts: gone });
    const orphan = await call('chat.postMessage', { channel: CHANNEL, text: 'into the void', thread_ts: gone });
    expect(orphan.body).toMatchObject({ ok: true, message: { thread_ts: gone } });
    expect((await call('conversations.history', { channel: CHANNEL }, true)).body.messages).toEqual([]);
    expect((await call('conversations.replies', { channel: CHANNEL, ts: gone }, true)).body).toEqual({ ok: false, error: 'thread_not_found' });
    expect((await call('chat.postMessage', { channel: CHANNEL, text: 'x', thread_ts: '0x' })).body)
      .toEqual({ ok: false, error: 'invalid_thread_ts', response_metadata: { messages: ['[ERROR] 0x is not a valid thread_ts'] } });
  });

  it("a non-Marketplace app since 2025-05-29 reads 15 messages a page, one history and one replies call a minute; tiers per method when enforced", async () => {
    const plain = sb;
    sb = await startSlackSandbox({ appDistribution: 'non-marketplace-2025', methodTiers: true });
    try {
      await admin('POST', 'seed', { objects: { channels: [{ id: CHANNEL }] } });
      token = (sb.credentials().credentials as { botToken: string }).botToken;
      const parent = await post('parent');
      for (let i = 0; i < 20; i += 1) await post(`m${i}`);
      const first = await call('conversations.history', { channel: CHANNEL, limit: '200' }, true);
      expect({ status: first.status, count: first.body.messages.length, more: first.body.has_more }).toEqual({ status: 200, count: 15, more: true });
      const second = await call('conversations.history', { channel: CHANNEL, cursor: first.body.response_metadata.next_cursor }, true);
      expect(second).toMatchObject({ status: 429, body: { ok: false, error: 'ratelimited' } });
      expect(Number(second.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(second.retryAfter)).toBeLessThanOrEqual(60);
      expect((await call('conversations.replies', { channel: CHANNEL, ts: parent }, true)).status).toBe(200); // its own limit
      expect((await call('conversations.replies', { channel: CHANNEL, ts: parent }, true)).status).toBe(429);
      const updates = [];
      for (let i = 0; i < 51; i += 1) updates.push((await call('chat.update', { channel: CHANNEL, ts: parent, text: `edit ${i}` })).status);
      expect(updates.filter((st) => st === 200)).toHaveLength(50); // Tier 3: 50 a minute
      expect(updates[50]).toBe(429);
    } finally {
      await sb.stop();
      sb = plain;
    }
  });
});

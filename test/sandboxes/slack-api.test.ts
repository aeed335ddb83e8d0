import fs from 'node:fs';
import path from 'node:path';
import { startSlackSandbox } from '../../sandboxes/slack';
import type { RunningSandbox } from '../../sandboxes/kit';

// The Slack sandbox over real HTTP, its answers checked against the required fields of Slack's own
// Swagger 2.0 description (../shared/specs/slack, read in place).
const spec = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../shared/specs/slack/slack_web_openapi_v2.json'), 'utf8'));
const CHANNEL = 'C0SPEC0001';

function requiredOf(method: string, verb: 'get' | 'post'): { params: string[]; response: string[] } {
  const op = spec.paths[`/${method}`][verb];
  return { params: op.parameters.filter((p: any) => p.required && p.name !== 'token').map((p: any) => p.name), response: op.responses['200'].schema.required };
}

describe('slack sandbox', () => {
  let sb: RunningSandbox;
  let token: string;
  beforeAll(async () => { sb = await startSlackSandbox(); });
  afterAll(async () => { await sb?.stop(); });
  beforeEach(async () => {
    await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
    await fetch(`${sb.url}/__sandbox/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ objects: { channels: [{ id: CHANNEL, name: 'spec' }, { id: 'C0SPEC0002' }] } }) });
    token = (sb.credentials().credentials as { botToken: string }).botToken;
  });

  async function call(method: string, args: Record<string, unknown>, opts: { get?: boolean; form?: boolean; auth?: string } = {}) {
    const headers: Record<string, string> = { authorization: `Bearer ${opts.auth ?? token}` };
    let url = `${sb.url}/api/${method}`;
    let body: string | undefined;
    if (opts.get) url += `?${new URLSearchParams(args as Record<string, string>)}`;
    else if (opts.form) { headers['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(args as Record<string, string>).toString(); }
    else { headers['content-type'] = 'application/json'; body = JSON.stringify(args); }
    const res = await fetch(url, { method: opts.get ? 'GET' : 'POST', headers, body });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  }

  it('answers chat.postMessage / update / delete and history / replies with the fields the spec requires', async () => {
    expect(requiredOf('chat.postMessage', 'post').params).toEqual(['channel']);
    const posted = await call('chat.postMessage', { channel: CHANNEL, text: 'hi', metadata: JSON.stringify({ event_type: 'forgeworks_copy', event_payload: { origin: 'o' } }) }, { form: true });
    expect(posted.body.ok).toBe(true);
    for (const f of requiredOf('chat.postMessage', 'post').response) expect(posted.body).toHaveProperty(f);
    expect(posted.body.ts).toMatch(/^\d{10}\.\d{6}$/);
    const reply = await call('chat.postMessage', { channel: CHANNEL, text: 'reply', thread_ts: posted.body.ts }, { form: true });
    expect(Number(reply.body.ts)).toBeGreaterThan(Number(posted.body.ts));
    const updated = await call('chat.update', { channel: CHANNEL, ts: posted.body.ts, text: 'hi!' });
    for (const f of requiredOf('chat.update', 'post').response) expect(updated.body).toHaveProperty(f);
    const history = await call('conversations.history', { channel: CHANNEL, include_all_metadata: 'true' }, { get: true });
    for (const f of requiredOf('conversations.history', 'get').response) expect(history.body).toHaveProperty(f);
    expect(history.body.messages).toHaveLength(1);
    expect(history.body.messages[0]).toMatchObject({ ts: posted.body.ts, text: 'hi!', reply_count: 1, edited: { ts: expect.any(String) }, metadata: { event_payload: { origin: 'o' } } });
    const noMeta = await call('conversations.history', { channel: CHANNEL }, { get: true });
    expect(noMeta.body.messages[0].metadata).toBeUndefined();
    const one = await call('conversations.history', { channel: CHANNEL, latest: posted.body.ts, oldest: posted.body.ts, inclusive: 'true', limit: '1' }, { get: true });
    expect(one.body.messages.map((m: any) => m.ts)).toEqual([posted.body.ts]);
    const replies = await call('conversations.replies', { channel: CHANNEL, ts: posted.body.ts }, { get: true });
    for (const f of requiredOf('conversations.replies', 'get').response) expect(replies.body).toHaveProperty(f);
    expect(replies.body.messages.map((m: any) => m.ts)).toEqual([posted.body.ts, reply.body.ts]);
    const deleted = await call('chat.delete', { channel: CHANNEL, ts: reply.body.ts });
    for (const f of requiredOf('chat.delete', 'post').response) expect(deleted.body).toHaveProperty(f);
    expect((await call('chat.delete', { channel: CHANNEL, ts: reply.body.ts })).body).toEqual({ ok: false, error: 'message_not_found' });
  });

  it('answers errors as Slack does: ok:false on HTTP 200, the spec listing each code', async () => {
    const missing = await call('chat.postMessage', { text: 'x' });
    expect(missing).toMatchObject({ status: 200, body: { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: channel'] } } });
    const codes = (method: string) => spec.paths[`/${method}`].post.responses.default.schema.properties.error.enum as string[];
    const errors = [
      [await call('chat.postMessage', { channel: 'C0NOPE0001', text: 'x' }), 'chat.postMessage'],
      [await call('chat.postMessage', { channel: CHANNEL }), 'chat.postMessage'],
      [await call('chat.postMessage', { channel: CHANNEL, text: 'y'.repeat(40_001) }), 'chat.postMessage'],
      [await call('chat.update', { channel: CHANNEL, ts: '1.000001', text: 'x' }), 'chat.update'],
    ] as const;
    expect(errors.map(([r]) => r.body.error)).toEqual(['channel_not_found', 'no_text', 'msg_too_long', 'message_not_found']);
    for (const [r, method] of errors) expect(codes(method)).toContain(r.body.error);
    expect((await call('chat.postMessage', { channel: CHANNEL, text: 'x' }, { auth: 'xoxb-nope' })).body).toEqual({ ok: false, error: 'invalid_auth' });
    await fetch(`${sb.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: [{ kind: 'expire-token' }] }) });
    expect((await call('conversations.history', { channel: CHANNEL }, { get: true })).body).toEqual({ ok: false, error: 'token_expired' });
  });

  it('limits chat.postMessage to about one per second per channel, with 429 ratelimited and Retry-After', async () => {
    const plain = sb;
    sb = await startSlackSandbox({ postMessageLimit: true });
    try {
      await fetch(`${sb.url}/__sandbox/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ objects: { channels: [{ id: CHANNEL }, { id: 'C0SPEC0002' }] } }) });
      token = (sb.credentials().credentials as { botToken: string }).botToken;
      expect((await call('chat.postMessage', { channel: CHANNEL, text: 'a' })).body.ok).toBe(true);
    const limited = await call('chat.postMessage', { channel: CHANNEL, text: 'b' });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ ok: false, error: 'ratelimited' });
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await call('chat.postMessage', { channel: 'C0SPEC0002', text: 'other channel' })).body.ok).toBe(true);
    } finally {
      await sb.stop();
      sb = plain;
    }
  });
});

import { slackConnector } from '../../src/connectors/slack';
import { isConnectorError, type ConnectorError } from '../../src/platform/errors';
import type { ChangeEvent } from '../../src/connectors/contract';
import { startSlackSandbox } from '../../sandboxes/slack';
import type { RunningSandbox } from '../../sandboxes/kit';
import { connectToSandbox } from '../helpers/sandbox-connection';

const CHANNEL = 'C0TEST0001';
const OBJECT = `messages:${CHANNEL}`;

describe('slack connector against its sandbox', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => { sandbox = await startSlackSandbox(); });
  afterAll(async () => { await sandbox?.stop(); });
  beforeEach(async () => {
    await admin('POST', 'reset');
    await admin('POST', 'seed', { objects: { channels: [{ id: CHANNEL, name: 'general' }] } });
  });

  async function admin(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${sandbox.url}/__sandbox/${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return res.json();
  }
  async function open() {
    const ctx = await connectToSandbox(slackConnector, sandbox.url);
    return { ctx, dest: slackConnector.destination(ctx), source: slackConnector.source(ctx) };
  }
  async function failure(p: Promise<unknown>): Promise<ConnectorError> {
    const err = await p.then(() => undefined, (e: unknown) => e);
    if (!isConnectorError(err)) throw new Error(`expected a ConnectorError, got ${String(err)}`);
    return err;
  }

  it('posts, reads, updates and deletes messages, with forge_origin round-tripping through metadata', async () => {
    const { dest } = await open();
    const created = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'teams:1', text: 'hello' }, { forge_origin: 'teams:2', text: 'world' }]);
    expect(created.map((r) => r.outcome)).toEqual(['created', 'created']);
    const [a, b] = created.map((r) => r.id!);
    expect(Number(b)).toBeGreaterThan(Number(a));
    const byOrigin = await dest.read(OBJECT, 'forge_origin', ['teams:1', 'teams:9']);
    expect(byOrigin.get('teams:1')).toMatchObject({ ts: a, text: 'hello', forge_origin: 'teams:1', bot_id: expect.any(String) });
    expect(byOrigin.get('teams:9')).toBeNull();

    const reply = await dest.write(OBJECT, 'create', 'ts', [{ text: 'a reply', thread_ts: a }]);
    expect(reply[0]).toMatchObject({ outcome: 'created' });
    expect((await dest.read(OBJECT, 'ts', [reply[0].id!])).get(reply[0].id!)).toMatchObject({ thread_ts: a, text: 'a reply', forge_origin: null });

    const updated = await dest.write(OBJECT, 'update', 'ts', [{ ts: a, text: 'hello again' }]);
    expect(updated[0]).toMatchObject({ outcome: 'updated', id: a });
    expect((await dest.read(OBJECT, 'ts', [a])).get(a)).toMatchObject({ text: 'hello again', forge_origin: 'teams:1', edited_ts: expect.any(String) });

    const deleted = await dest.delete(OBJECT, 'forge_origin', ['teams:2']);
    expect(deleted[0]).toMatchObject({ outcome: 'deleted', id: b });
    expect((await dest.read(OBJECT, 'ts', [b])).get(b)).toBeNull();

    const restored = await dest.restore(OBJECT, 'forge_origin', { ts: b, text: 'world', forge_origin: 'teams:2' });
    expect(restored.recreated).toBe(true);
    expect((await dest.read(OBJECT, 'forge_origin', ['teams:2'])).get('teams:2')).toMatchObject({ ts: restored.id, forge_restored_from: b });
  });

  it('reads several keys by forge_origin with one read of the channel, not one per key', async () => {
    const { dest } = await open();
    await dest.write(OBJECT, 'create', 'forge_origin', ['a', 'b', 'c', 'd', 'e'].map((k) => ({ forge_origin: `teams:${k}`, text: k })));
    const before = (await admin('GET', 'requests')).requests.length;
    const found = await dest.read(OBJECT, 'forge_origin', ['teams:a', 'teams:b', 'teams:c', 'teams:d', 'teams:x']);
    expect([...found.values()].map((r) => r?.text ?? null)).toEqual(['a', 'b', 'c', 'd', null]);
    const reads = (await admin('GET', 'requests')).requests.slice(before) as Array<{ path: string }>;
    expect(reads.map((r) => r.path)).toEqual(['/api/conversations.history']);
  });

  it('fails records Slack refuses, naming the argument, and messages the bot may not edit', async () => {
    await admin('POST', 'seed', { objects: { messages: [{ channel: CHANNEL, ts: '1700000000.000100', text: 'from a person', user: 'U0PERSON01' }] } });
    const { dest } = await open();
    const results = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'x:1', text: '' }, { forge_origin: 'x:2', text: 'y'.repeat(40_001) }, { forge_origin: 'x:3', text: 'ok' }]);
    expect(results.map((r) => r.outcome)).toEqual(['failed', 'failed', 'created']);
    expect(results[0].errors![0].field).toBe('text');
    expect(results[1].errors![0]).toMatchObject({ field: 'text', message: 'msg_too_long' });
    const refused = await dest.write(OBJECT, 'update', 'ts', [{ ts: '1700000000.000100', text: 'edited by a bot' }]);
    expect(refused[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'ts', message: 'cant_update_message' }] });
    const notDeleted = await dest.delete(OBJECT, 'ts', ['1700000000.000100']);
    expect(notDeleted[0]).toMatchObject({ outcome: 'failed', errors: [{ message: 'cant_delete_message' }] });
    expect((await dest.write(OBJECT, 'create', 'ts', [{ ts: '1.0', text: 'x' }]))[0].errors![0].field).toBe('ts');
  });

  it('names the missing argument from response_metadata.messages', async () => {
    const { ctx } = await open();
    const err = await failure(ctx.http.request({ method: 'POST', path: 'chat.postMessage', json: { text: 'no channel' } }));
    expect(err.kind).toBe('validation');
    expect(err.fields).toEqual([{ field: 'channel', message: '[ERROR] missing required field: channel' }]);
  });

  it('treats invalid_auth and an expired token as permanent after one attempt, and an unknown channel as not_found', async () => {
    const { ctx, dest } = await open();
    await ctx.saveCredentials({ botToken: 'xoxb-wrong' });
    const before = (await admin('GET', 'requests')).requests.length;
    const err = await failure(dest.write(OBJECT, 'create', 'ts', [{ text: 'x' }]));
    expect(err).toMatchObject({ kind: 'permanent', status: 401 });
    expect(err.message).toMatch(/invalid_auth/);
    expect((await admin('GET', 'requests')).requests.length - before).toBe(1);

    const fresh = await open();
    await admin('POST', 'faults', { faults: [{ kind: 'expire-token' }] });
    expect(await failure(fresh.dest.read(OBJECT, 'ts', ['1.000001']))).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/token_expired/) });
    const other = await open();
    expect(await failure(other.dest.read('messages:C0NOPE0001', 'ts', ['1.000001']))).toMatchObject({ kind: 'not_found' });
  });

  it('turns ratelimited (429 + Retry-After) into transient with retryAfterMs', async () => {
    const limited = await startSlackSandbox({ postMessageLimit: true });
    try {
      await fetch(`${limited.url}/__sandbox/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ objects: { channels: [{ id: CHANNEL }] } }) });
      const ctx = await connectToSandbox(slackConnector, limited.url);
      const dest = slackConnector.destination(ctx);
      const err = await failure(dest.write(OBJECT, 'create', 'ts', [{ text: 'one' }, { text: 'two' }]));
      expect(err).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 1000 });
    } finally {
      await limited.stop();
    }
  });

  it('catches a delete that answers ok but keeps the message', async () => {
    const { dest } = await open();
    const [posted] = await dest.write(OBJECT, 'create', 'ts', [{ text: 'stays' }]);
    await admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const [result] = await slackConnector.destination((await open()).ctx).delete(OBJECT, 'ts', [posted.id!]);
    expect(result.outcome).toBe('failed');
    expect(result.errors![0].message).toMatch(/still there/);
  });

  it('captures posts, replies, edits and deletes exactly once from a resumed cursor', async () => {
    const { dest, source } = await open();
    const all: ChangeEvent[] = [];
    const poll = async (cursor: unknown) => {
      const page = await source.capture(OBJECT, cursor);
      all.push(...page.changes);
      return page;
    };
    const [p1, p2] = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'o:1', text: 'one' }, { forge_origin: 'o:2', text: 'two' }]);
    let page = await poll(null);
    expect(page.changes.map((c) => [c.recordId, c.op])).toEqual([[p1.id, 'upsert'], [p2.id, 'upsert']]);
    expect(page.changes[0].data).toMatchObject({ forge_origin: 'o:1', text: 'one' });

    page = await poll(page.cursor);
    expect(page.changes).toEqual([]);

    const [r1] = await dest.write(OBJECT, 'create', 'ts', [{ text: 'reply', thread_ts: p1.id }]);
    await dest.write(OBJECT, 'update', 'ts', [{ ts: p2.id, text: 'two, edited' }]);
    page = await poll(page.cursor);
    expect(page.changes.map((c) => [c.recordId, c.op])).toEqual([[r1.id, 'upsert'], [p2.id, 'upsert']]);
    expect(page.changes[0].data).toMatchObject({ thread_ts: p1.id });
    expect(page.changes[1].version).toMatch(new RegExp(`^${p2.id!.replace('.', '\\.')}:`));
    expect(page.changes[1].version).not.toBe(`${p2.id}:${p2.id}`);

    await dest.delete(OBJECT, 'ts', [r1.id!, p2.id!]);
    const resumed = JSON.parse(JSON.stringify(page.cursor));
    page = await poll(resumed);
    expect(page.changes.map((c) => [c.recordId, c.op, c.version])).toEqual(expect.arrayContaining([[r1.id, 'delete', `${r1.id}:deleted`], [p2.id, 'delete', `${p2.id}:deleted`]]));
    expect(page.changes).toHaveLength(2);
    page = await poll(page.cursor);
    expect(page.changes).toEqual([]);
    const versions = all.map((c) => `${c.recordId}/${c.version}`);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('a first sync of several history pages read in one call emits them oldest first without reading any again', async () => {
    const base = 1_700_000_000;
    const top = Array.from({ length: 450 }, (_, i) => `${base + i}.000100`); // 3 pages of 200
    await admin('POST', 'seed', { objects: { messages: top.map((ts, i) => ({ channel: CHANNEL, ts, text: `message ${i}` })) } });
    await admin('DELETE', 'requests');
    const { source } = await open();
    const page = await source.capture(OBJECT, null);
    expect(page.hasMore).toBe(false);
    expect(page.changes.map((c) => c.recordId)).toEqual(top);
    const history = ((await admin('GET', 'requests')).requests as Array<{ path: string }>).filter((r) => r.path === '/api/conversations.history');
    expect(history).toHaveLength(3);
  });
});

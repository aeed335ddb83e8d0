import { randomUUID } from 'node:crypto';
import { slackConnector } from '../../src/connectors/slack';
import { buildConnectorContext } from '../../src/connectors/context';
import type { ChangeEvent } from '../../src/connectors/contract';
import { startSlackSandbox } from '../../sandboxes/slack';
import { slackSpec } from '../../sandboxes/slack/spec';
import type { RunningSandbox } from '../../sandboxes/kit';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy';
import { InMemoryCredentialStore, sandboxAdmin } from '../helpers/sandbox-connection';
import { checkAgainstSpec, specExchanges, unexplained } from '../helpers/spec-check';

// The Slack connector driven through a recording proxy in front of the Slack sandbox: deleted
// thread parents (tombstones) read as deletes, and every exchange it makes (capture, load, delete
// confirmation, restore) held against Slack's published Web API description.
const CHANNEL = 'C0STRICT02';
const OBJECT = `messages:${CHANNEL}`;

describe('slack connector through a proxy, against the strict sandbox', () => {
  let sb: RunningSandbox;
  let proxy: RecordingProxy;
  const admin = sandboxAdmin(() => sb.url);
  beforeAll(async () => {
    sb = await startSlackSandbox();
    proxy = await startRecordingProxy(sb.url);
  });
  afterAll(async () => {
    await proxy?.stop();
    await sb?.stop();
  });
  beforeEach(async () => {
    await admin('POST', 'reset');
    await admin('POST', 'seed', { objects: { channels: [{ id: CHANNEL, name: 'strict' }] } });
    proxy.exchanges.length = 0;
  });

  /** The connector's own context, its base URL pointed at the proxy. */
  async function open() {
    const { credentials } = sb.credentials();
    const store = new InMemoryCredentialStore();
    const [tenantId, connectionId] = [`t-${randomUUID()}`, `c-${randomUUID()}`];
    await store.put(tenantId, connectionId, credentials);
    const ctx = buildConnectorContext(slackConnector, { tenantId, connectionId, config: slackConnector.config.parse({ baseUrl: `${proxy.url}/api` }) }, store);
    return { ctx, store, dest: slackConnector.destination(ctx), source: slackConnector.source(ctx) };
  }

  it('asks auth.test once per connection and bot token, not on every sync', async () => {
    const { ctx, store } = await open();
    const authTests = () => proxy.exchanges.filter((x) => x.path === '/api/auth.test').length;
    const first = await slackConnector.ownIdentity!(ctx);
    expect(first).toEqual({ bot_id: ['B0SBXBOT01'], user: ['U0SBXBOT01'] });
    expect(await slackConnector.ownIdentity!(ctx)).toEqual(first);
    expect(authTests()).toBe(1);
    await admin('POST', 'faults', { faults: [{ kind: 'expire-token' }] }); // the token rotates: a new one is another key
    await store.put(ctx.tenantId, ctx.connectionId, sb.credentials().credentials);
    expect(await slackConnector.ownIdentity!(ctx)).toEqual(first);
    expect(authTests()).toBe(2);
  });

  it('confirms the delete of a thread parent that Slack keeps as a tombstone, and capture reads the tombstone as a delete, once', async () => {
    const { dest, source } = await open();
    const [parent] = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'teams:p', text: 'parent' }]);
    const [reply] = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'teams:r', text: 'reply', thread_ts: parent.id }]);
    const events: ChangeEvent[] = [];
    let page = await source.capture(OBJECT, null);
    events.push(...page.changes);

    const [deleted] = await dest.delete(OBJECT, 'forge_origin', ['teams:p']);
    expect(deleted).toMatchObject({ outcome: 'deleted', id: parent.id });
    expect((await dest.read(OBJECT, 'ts', [parent.id!])).get(parent.id!)).toBeNull();
    expect((await dest.read(OBJECT, 'forge_origin', ['teams:r'])).get('teams:r')).toMatchObject({ ts: reply.id, thread_ts: parent.id });

    page = await source.capture(OBJECT, page.cursor);
    expect(page.changes.map((c) => [c.recordId, c.op])).toEqual([[parent.id, 'delete']]);
    page = await source.capture(OBJECT, page.cursor);
    expect(page.changes).toEqual([]);
    await dest.write(OBJECT, 'update', 'forge_origin', [{ forge_origin: 'teams:r', text: 'reply, edited' }]);
    page = await source.capture(OBJECT, page.cursor);
    expect(page.changes.map((c) => [c.recordId, c.op, c.data?.text])).toEqual([[reply.id, 'upsert', 'reply, edited']]);
  });

  it('restores a reply whose thread is gone at the top level, where people can see it', async () => {
    const { dest } = await open();
    const [parent] = await dest.write(OBJECT, 'create', 'ts', [{ text: 'parent' }]);
    const [reply] = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'teams:r', text: 'reply', thread_ts: parent.id }]);
    await dest.delete(OBJECT, 'ts', [reply.id!, parent.id!]);
    const restored = await dest.restore(OBJECT, 'forge_origin', { ts: reply.id, text: 'reply', thread_ts: parent.id, forge_origin: 'teams:r' });
    expect((await dest.read(OBJECT, 'forge_origin', ['teams:r'])).get('teams:r')).toMatchObject({ ts: restored.id, thread_ts: null });
  });

  it("every exchange of capture, load, delete confirmation and restore conforms to Slack's Web API description, or to a listed deviation", async () => {
    const { dest, source } = await open();
    const created = await dest.write(OBJECT, 'create', 'forge_origin', Array.from({ length: 3 }, (_, i) => ({ forge_origin: `o:${i}`, text: `m${i}` })));
    await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'o:reply', text: 'reply', thread_ts: created[0].id }]);
    let page = await source.capture(OBJECT, null);
    await dest.write(OBJECT, 'update', 'forge_origin', [{ forge_origin: 'o:1', text: 'edited' }]);
    await dest.delete(OBJECT, 'forge_origin', ['o:0', 'o:2']);
    page = await source.capture(OBJECT, page.cursor);
    await dest.restore(OBJECT, 'forge_origin', { ts: created[2].id, text: 'm2', forge_origin: 'o:2' });
    expect(page.changes.length).toBeGreaterThan(0);

    const recorded = proxy.exchanges.map((x) => ({
      method: x.method, path: x.path, query: x.query.toString(), requestContentType: x.headers['content-type'], rawBody: x.body, status: x.status, responseBody: x.response,
    }));
    const methods = new Set(recorded.map((x) => x.path));
    expect([...methods].sort()).toEqual(['/api/chat.delete', '/api/chat.postMessage', '/api/chat.update', '/api/conversations.history', '/api/conversations.replies']);
    const verdicts = checkAgainstSpec('slack', specExchanges(slackSpec, recorded));
    expect(verdicts).toHaveLength(recorded.length);
    expect(unexplained(slackSpec, verdicts)).toEqual([]);
  });
});

import type { ChangeEvent, ConnectorContext } from '../../src/connectors/contract';
import { objectSpec } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import type { RunningSandbox } from '../../sandboxes/kit';
import { startTeamsSandbox } from '../../sandboxes/teams';
import { connectToSandbox } from '../helpers/sandbox-connection';

// The Teams connector (destination and source) against the Teams sandbox over real HTTP.

const TEAM = '172b0cce-e65d-44ce-9a49-91d9f2e8593a';
const CHANNEL = '19:general0001@thread.tacv2';
const OBJECT = `messages:${TEAM}/${CHANNEL}`;

describe('Teams connector against the sandbox', () => {
  const def = findConnector('teams')!;
  let sandbox: RunningSandbox;
  let ctx: ConnectorContext;

  async function admin(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${sandbox.url}/__sandbox/${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return res.json();
  }
  async function requests(): Promise<Array<{ method: string; path: string; status: number }>> {
    return (await admin('GET', 'requests')).requests;
  }

  beforeEach(async () => {
    sandbox = await startTeamsSandbox();
    await admin('POST', 'seed', { objects: { teams: [{ id: TEAM }], channels: [{ id: CHANNEL, teamId: TEAM }] } });
    ctx = await connectToSandbox(def, sandbox.url);
  });
  afterEach(async () => {
    await sandbox.stop();
  });

  it('resolves channel objects at run time and refuses malformed names', () => {
    const spec = objectSpec(def, OBJECT)!;
    expect(spec).toMatchObject({ name: OBJECT, naturalKeys: ['id', 'forge_origin'], operations: ['create', 'update', 'delete'], cursor: 'delta-link' });
    expect(objectSpec(def, 'messages:only-a-team')).toBeUndefined();
    expect(objectSpec(def, 'channels')).toBeUndefined();
  });

  it('posts, replies, edits, soft-deletes and undeletes; forge_origin round-trips through the body', async () => {
    const dest = def.destination(ctx);
    const created = await dest.write(OBJECT, 'create', 'forge_origin', [
      { forge_origin: 'slack:C1/1.1', content: 'plain <text> & more', contentType: 'text' },
      { forge_origin: 'slack:C1/1.2', content: '<p><b>bold</b></p>', contentType: 'html' },
      { content: 'no marker' },
    ]);
    expect(created.map((r) => r.outcome)).toEqual(['created', 'created', 'created']);
    const [rootId, htmlId, bareId] = created.map((r) => r.id!);
    const reply = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'slack:C1/1.3', content: 'a reply', replyToId: rootId }]);
    expect(reply[0]).toMatchObject({ outcome: 'created', key: 'slack:C1/1.3' });

    const byOrigin = await dest.read(OBJECT, 'forge_origin', ['slack:C1/1.1', 'slack:C1/1.2', 'slack:C1/1.3', 'nope']);
    expect(byOrigin.get('slack:C1/1.1')).toMatchObject({ id: rootId, content: 'plain <text> & more', contentType: 'text', forge_origin: 'slack:C1/1.1', replyToId: null });
    expect(byOrigin.get('slack:C1/1.2')).toMatchObject({ id: htmlId, content: '<p><b>bold</b></p>', contentType: 'html' });
    expect(byOrigin.get('slack:C1/1.3')).toMatchObject({ id: reply[0].id, replyToId: rootId, content: 'a reply' });
    expect(byOrigin.get('nope')).toBeNull();
    // Graph keeps the marker in the stored HTML body.
    const stored = (await admin('GET', 'state')).objects.messages.find((m: any) => m.id === rootId);
    expect(stored.body).toEqual({ contentType: 'html', content: 'plain &lt;text&gt; &amp; more<span data-forge-origin="slack:C1/1.1" data-forge-type="text"></span>' });
    expect((await dest.read(OBJECT, 'id', [bareId])).get(bareId)).toMatchObject({ content: 'no marker', forge_origin: null });

    const updated = await dest.write(OBJECT, 'update', 'forge_origin', [{ forge_origin: 'slack:C1/1.3', content: 'an edited reply' }, { forge_origin: 'slack:C1/1.2', replyToId: rootId }]);
    expect(updated[0]).toMatchObject({ outcome: 'updated', id: reply[0].id });
    expect(updated[1]).toMatchObject({ outcome: 'failed', errors: [{ field: 'replyToId' }] });
    expect((await dest.read(OBJECT, 'id', [reply[0].id!])).get(reply[0].id!)).toMatchObject({ content: 'an edited reply', forge_origin: 'slack:C1/1.3', lastEditedDateTime: expect.any(String) });

    const before = (await dest.read(OBJECT, 'id', [reply[0].id!])).get(reply[0].id!)!;
    const deleted = await dest.delete(OBJECT, 'id', [reply[0].id!, rootId]);
    expect(deleted.map((r) => r.outcome)).toEqual(['deleted', 'deleted']);
    expect([...(await dest.read(OBJECT, 'id', [reply[0].id!, rootId])).values()]).toEqual([null, null]);
    const restored = await dest.restore(OBJECT, 'id', before);
    expect(restored).toEqual({ id: reply[0].id, recreated: false });
    expect((await dest.read(OBJECT, 'forge_origin', ['slack:C1/1.3'])).get('slack:C1/1.3')).toMatchObject({ id: reply[0].id, content: 'an edited reply' });
    expect((await requests()).filter((r) => /undoSoftDelete$/.test(r.path))).toHaveLength(1);
  });

  it('fails a refused record with the property Graph names, and refuses a duplicate forge_origin', async () => {
    const dest = def.destination(ctx);
    const results = await dest.write(OBJECT, 'create', 'forge_origin', [
      { forge_origin: 'a', content: 'fine' },
      { forge_origin: 'b', content: '' },
      { forge_origin: 'c', content: 'x', contentType: 'markdown' },
      { forge_origin: 'a', content: 'again' },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['created', 'failed', 'failed', 'failed']);
    expect(results[1].errors?.[0]).toMatchObject({ field: 'content', message: expect.stringContaining('body.content') });
    expect(results[2].errors?.[0].field).toBe('contentType');
    expect(results[3].errors?.[0]).toMatchObject({ field: 'forge_origin', message: expect.stringMatching(/already exists/) });
    const big = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'big', content: 'x'.repeat(30_000) }]);
    expect(big[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'content', message: expect.stringMatching(/maximum size/) }] });
    const again = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'a', content: 'third' }]);
    expect(again[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'forge_origin', message: expect.stringMatching(/already exists/) }] });
  });

  it('a 401 that survives one refresh is permanent; a 429 is transient with Retry-After', async () => {
    const dest = def.destination(ctx);
    await dest.read(OBJECT, 'id', ['1']); // a token in hand
    await admin('DELETE', 'requests');
    await admin('POST', 'faults', { faults: [{ method: 'POST', path: '^/v1.0/teams/.+/messages$', status: 401 }] });
    await expect(dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'x', content: 'y' }])).rejects.toMatchObject({ kind: 'permanent', status: 401 });
    const log = await requests();
    expect(log.filter((r) => r.path.endsWith('/oauth2/v2.0/token'))).toHaveLength(1);
    expect(log.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(2);

    await admin('DELETE', 'faults');
    await admin('POST', 'faults', { faults: [{ method: 'POST', path: '^/v1.0/teams/.+/messages$', status: 429, retryAfter: 7, times: 1 }] });
    await expect(dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'x', content: 'y' }])).rejects.toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 7000 });
  });

  it('catches a softDelete that answers 204 but keeps the message', async () => {
    const dest = def.destination(ctx);
    const [created] = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'keep', content: 'still here' }]);
    await admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const [result] = await dest.delete(OBJECT, 'forge_origin', ['keep']);
    expect(result).toMatchObject({ outcome: 'failed', id: created.id, errors: [{ field: 'forge_origin', message: expect.stringMatching(/still there/) }] });
    expect((await dest.read(OBJECT, 'id', [created.id!])).get(created.id!)).not.toBeNull();
  });

  it('captures posts, replies, edits and deletes exactly once, resuming from the delta token', async () => {
    const dest = def.destination(ctx);
    const source = def.source(ctx);
    const drain = async (cursor: unknown): Promise<{ changes: ChangeEvent[]; cursor: unknown }> => {
      const page = await source.capture(OBJECT, cursor);
      expect(page.hasMore).toBe(false);
      return page;
    };
    const [a, b] = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'o-a', content: 'A' }, { content: 'B' }]);
    const first = await drain(null);
    expect(first.changes.map((c) => `${c.recordId}:${c.op}:${String(c.data?.content)}`)).toEqual([`${a.id}:upsert:A`, `${b.id}:upsert:B`]);
    expect(first.changes[0].data).toMatchObject({ forge_origin: 'o-a' });
    expect(first.cursor).toMatchObject({ deltaToken: expect.any(String) });

    const [r1] = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'o-r1', content: 'R1', replyToId: a.id }]);
    await dest.write(OBJECT, 'update', 'id', [{ id: b.id, content: 'B2' }]);
    const second = await drain(JSON.parse(JSON.stringify(first.cursor)));
    expect(second.changes.map((c) => `${c.recordId}:${c.op}:${String(c.data?.content)}`).sort()).toEqual([`${b.id}:upsert:B2`, `${r1.id}:upsert:R1`].sort());
    expect(second.changes.find((c) => c.recordId === r1.id)?.data).toMatchObject({ replyToId: a.id, forge_origin: 'o-r1' });

    await dest.write(OBJECT, 'update', 'id', [{ id: r1.id, content: 'R1 edited' }]);
    await dest.delete(OBJECT, 'id', [a.id!]);
    const third = await drain(second.cursor);
    expect(third.changes.map((c) => `${c.recordId}:${c.op}`).sort()).toEqual([`${a.id}:delete`, `${r1.id}:upsert`].sort());
    expect(third.changes.find((c) => c.op === 'delete')?.data).toBeNull();

    const quiet = await drain(third.cursor);
    expect(quiet.changes).toEqual([]);
    const versions = [...first.changes, ...second.changes, ...third.changes].map((c) => c.version);
    expect(new Set(versions).size).toBe(versions.length);
    await expect(source.capture(OBJECT, { nonsense: true })).rejects.toMatchObject({ kind: 'permanent' });
  });

  it('captures on the first sync a root deleted before it (a delete) and that root\'s replies, then their later edits', async () => {
    const dest = def.destination(ctx);
    const source = def.source(ctx);
    const [root, live] = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'o-root', content: 'Root' }, { content: 'Live' }]);
    const [reply] = await dest.write(OBJECT, 'create', 'forge_origin', [{ forge_origin: 'o-reply', content: 'Reply', replyToId: root.id }]);
    await dest.delete(OBJECT, 'id', [root.id!]);

    const first = await source.capture(OBJECT, null);
    expect(first.changes.map((c) => `${c.recordId}:${c.op}:${String(c.data?.content ?? '')}`).sort())
      .toEqual([`${root.id}:delete:`, `${live.id}:upsert:Live`, `${reply.id}:upsert:Reply`].sort());
    expect(first.changes.find((c) => c.recordId === reply.id)?.data).toMatchObject({ replyToId: root.id, forge_origin: 'o-reply' });

    // The deleted root's thread is followed from then on.
    await dest.write(OBJECT, 'update', 'id', [{ id: reply.id, content: 'Reply edited', replyToId: root.id }]);
    const second = await source.capture(OBJECT, JSON.parse(JSON.stringify(first.cursor)));
    expect(second.changes.map((c) => `${c.recordId}:${c.op}:${String(c.data?.content ?? '')}`)).toEqual([`${reply.id}:upsert:Reply edited`]);
    // Only the first sync lists the channel's roots (the destination's reads list them with $expand=replies).
    const listings = (await requests() as Array<{ method: string; path: string; query?: string }>)
      .filter((r) => r.method === 'GET' && /\/messages$/.test(r.path) && !decodeURIComponent(r.query ?? '').includes('$expand'));
    expect(listings).toHaveLength(1);
  });
});

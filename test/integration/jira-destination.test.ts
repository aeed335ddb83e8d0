import type { ConnectorContext, DestinationContract } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { adf, startJira, type JiraHarness } from '../sandboxes/jira-client';

// The JIRA connector's destination against its sandbox over real HTTP: reads by key, id and a
// custom-field key; bulk create mapped back by position; edits; ADF and custom-field validation
// named by field; confirmed deletes; re-creation with a new key; 429 with Retry-After.

jest.setTimeout(60_000);

type Logged = { method: string; path: string; status: number };
const EXT = 'customfield_10050';

describe('JIRA destination against the sandbox', () => {
  const def = findConnector('jira')!;
  let j: JiraHarness;
  let ctx: ConnectorContext;
  let dest: DestinationContract;

  const requests = async (): Promise<Logged[]> => (await j.admin('GET', 'requests')).body.requests as Logged[];
  const issue = (ext: string, summary: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    [EXT]: ext, 'project.key': 'FORGE', 'issuetype.name': 'Task', summary, description: adf(`about ${summary}`), ...extra,
  });

  beforeEach(async () => {
    j = await startJira();
    ctx = await connectToSandbox(def, j.url);
    dest = def.destination(ctx);
  });
  afterEach(async () => { await j.stop(); });

  it('is registered with issues and versions described as data, Basic auth and a bounded project list', async () => {
    expect(def.objects.map((o) => o.name)).toEqual(['issues', 'versions']);
    const issues = def.objects[0];
    expect(issues).toMatchObject({ naturalKeys: ['id', 'key'], batchSize: 50, dynamicFields: true, cursor: 'timestamp' });
    expect(issues.fields.find((f) => f.name === 'description')?.type).toBe('json');
    expect(def.auth.scheme).toBe('basic');
    expect(def.config.safeParse({ baseUrl: 'https://x.atlassian.net', projectKeys: [] }).success).toBe(false);
    await def.check(ctx);
    expect((await requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /rest/api/3/myself 200']);
  });

  it('creates through createIssues, 50 per call, mapping refused elements back to their records by field', async () => {
    const records = Array.from({ length: 60 }, (_, i) => issue(`ext-${i}`, `issue ${i}`));
    records[3] = { ...records[3], description: 'a plain string' };
    records[55] = { ...records[55], 'priority.name': 'Urgentest' };
    records[57] = { ...records[57], customfield_99999: 'x' };
    const results = await dest.write('issues', 'create', EXT, records);
    const failed = results.filter((r) => r.outcome === 'failed');
    expect(failed.map((r) => [r.index, r.errors!.map((e) => e.field)])).toEqual([[3, ['description']], [55, ['priority.name']], [57, ['customfield_99999']]]);
    expect(failed[0].errors![0].message).toMatch(/Atlassian Document/);
    const created = results.filter((r) => r.outcome === 'created');
    expect(created).toHaveLength(57);
    expect(created[0]).toMatchObject({ index: 0, key: 'ext-0', id: '10001' });
    expect(created[3]).toMatchObject({ index: 4, key: 'ext-4', id: '10004' }); // the refused element took no id
    expect((await requests()).filter((r) => r.path === '/rest/api/3/issue/bulk').map((r) => r.status)).toEqual([201, 201]);
  });

  it('reads by key (ignoring case), id and a custom-field key, with references flattened and ADF kept', async () => {
    await dest.write('issues', 'create', EXT, [issue('ext-1', 'one', { labels: ['a', 'b'], customfield_10052: 3 }), issue('ext-10', 'ten')]);
    const byExt = await dest.read('issues', EXT, ['ext-1', 'ext-10', 'ext-missing']);
    expect(byExt.get('ext-1')).toMatchObject({
      key: 'FORGE-1', 'project.key': 'FORGE', 'issuetype.name': 'Task', 'priority.name': 'Medium', 'status.name': 'To Do',
      summary: 'one', description: adf('about one'), labels: ['a', 'b'], [EXT]: 'ext-1', customfield_10052: 3,
    });
    expect(byExt.get('ext-10')).toMatchObject({ key: 'FORGE-2' });
    expect(byExt.get('ext-missing')).toBeNull();
    const id = String(byExt.get('ext-1')!.id);
    expect((await dest.read('issues', 'key', ['forge-1', 'FORGE-99'])).get('forge-1')).toMatchObject({ key: 'FORGE-1' });
    expect((await dest.read('issues', 'id', [id])).get(id)).toMatchObject({ key: 'FORGE-1' });
    expect((await failureOf(dest.read('issues', 'summary', ['one']))).fields).toEqual([{ field: 'naturalKey', message: expect.stringMatching(/custom field/) }]);
  });

  it('upserts by a custom-field key: edits what it finds, creates the rest, and names a conflict', async () => {
    await dest.write('issues', 'create', EXT, [issue('ext-1', 'before')]);
    const results = await dest.write('issues', 'upsert', EXT, [issue('ext-1', 'after', { 'priority.name': 'High' }), issue('ext-2', 'new')]);
    expect(results.map((r) => [r.outcome, r.id])).toEqual([['updated', '10001'], ['created', '10002']]);
    const now = await dest.read('issues', EXT, ['ext-1']);
    expect(now.get('ext-1')).toMatchObject({ summary: 'after', 'priority.name': 'High' });
    expect((await requests()).filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual(['/rest/api/3/issue/FORGE-1']);

    await j.admin('POST', 'seed', { objects: { issues: [{ summary: 'twin', [EXT]: 'ext-2' }] } });
    const conflict = await failureOf(dest.write('issues', 'upsert', EXT, [issue('ext-2', 'x')]));
    expect(conflict.kind).toBe('conflict');
    expect(conflict.fields?.[0].field).toBe(EXT);
  });

  it('refuses what JIRA cannot do before sending: upsert by key, moving an issue to another project', async () => {
    await dest.write('issues', 'create', EXT, [issue('ext-1', 'one')]);
    const [byKey] = await dest.write('issues', 'upsert', 'key', [{ key: 'FORGE-1', summary: 'x' }]);
    expect(byKey.errors?.[0]).toMatchObject({ field: 'key', message: expect.stringMatching(/assigns issue keys/) });
    const [moved] = await dest.write('issues', 'update', 'key', [{ key: 'FORGE-1', 'project.key': 'OPS', summary: 'moved' }]);
    expect(moved.errors?.map((e) => e.field)).toEqual(['project.key']);
    const [missing] = await dest.write('issues', 'update', 'key', [{ key: 'FORGE-9', summary: 'x' }]);
    expect(missing).toMatchObject({ outcome: 'failed', errors: [{ field: 'key' }] });
    expect((await requests()).filter((r) => r.method === 'PUT')).toEqual([]);
  });

  it('reads a 400 ErrorCollection as field-named validation: an edit fails its record, a create throws with fields', async () => {
    await dest.write('issues', 'create', EXT, [issue('ext-1', 'one')]);
    const [edit] = await dest.write('issues', 'update', EXT, [{ [EXT]: 'ext-1', 'priority.name': 'Nope', customfield_10052: 'many' }]);
    expect(edit).toMatchObject({ outcome: 'failed', id: '10001' });
    expect(edit.errors).toEqual([
      { field: 'priority.name', message: 'The priority selected is invalid.' },
      { field: 'customfield_10052', message: 'Operation value must be a number' },
    ]);
    const refused = await failureOf(dest.restore('issues', EXT, { [EXT]: 'ext-9', 'project.key': 'FORGE', 'issuetype.name': 'Task', summary: 'x', description: 'plain' }));
    expect(refused).toMatchObject({ kind: 'validation', status: 400, fields: [{ field: 'description', message: expect.stringMatching(/Atlassian Document/) }] });
  });

  it('deletes by key, confirmed by a fresh read; a delete that lies fails its record', async () => {
    await dest.write('issues', 'create', EXT, [issue('ext-1', 'one'), issue('ext-2', 'two')]);
    const deleted = await dest.delete('issues', EXT, ['ext-1', 'ext-none']);
    expect(deleted.map((r) => r.outcome)).toEqual(['deleted', 'deleted']);
    expect((await dest.read('issues', 'key', ['FORGE-1'])).get('FORGE-1')).toBeNull();
    await j.admin('POST', 'faults', { faults: [{ kind: 'delete-lies' }] });
    const lied = await (def.destination({ ...ctx }) as DestinationContract).delete('issues', 'key', ['FORGE-2']);
    expect(lied[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'key', message: expect.stringMatching(/still there/) }] });
  });

  it('re-creates a deleted issue from its before-image: a new key, the same custom-field key', async () => {
    await dest.write('issues', 'create', EXT, [issue('ext-1', 'precious', { labels: ['keep'], customfield_10051: adf('impact') })]);
    const before = (await dest.read('issues', EXT, ['ext-1'])).get('ext-1')!;
    await dest.delete('issues', 'key', ['FORGE-1']);
    const restored = await dest.restore('issues', EXT, before);
    expect(restored).toEqual({ id: '10002', recreated: true });
    const back = (await dest.read('issues', EXT, ['ext-1'])).get('ext-1')!;
    const { key, id, created, updated, ...content } = back;
    const { key: _k, id: _i, created: _c, updated: _u, ...was } = before;
    expect([key, id === before.id, created === undefined, updated === undefined]).toEqual(['FORGE-2', false, false, false]);
    expect(content).toEqual(was);
  });

  it('re-creates without fields JIRA maintains itself (no create screen offers them), and only those', async () => {
    const before = { [EXT]: 'ext-5', 'project.key': 'FORGE', 'issuetype.name': 'Task', summary: 'ranked', customfield_10019: '0|i0000f:' };
    const restored = await dest.restore('issues', EXT, before);
    expect(restored.recreated).toBe(true);
    expect((await dest.read('issues', EXT, ['ext-5'])).get('ext-5')).toMatchObject({ id: restored.id, summary: 'ranked' });
    const creates = (await requests()).filter((r) => r.path === '/rest/api/3/issue').map((r) => r.status);
    expect(creates).toEqual([400, 201]);
    const stillRefused = await failureOf(dest.restore('issues', EXT, { ...before, summary: '' }));
    expect(stillRefused.fields?.map((f) => f.field).sort()).toEqual(['customfield_10019', 'summary']);
  });

  it('writes, reads, deletes and re-creates versions by name', async () => {
    const created = await dest.write('versions', 'upsert', 'name', [{ name: 'R1', projectId: 10000, releaseDate: '2025-02-01', released: false }]);
    expect(created[0]).toMatchObject({ outcome: 'created', id: expect.any(String) });
    const [updated] = await dest.write('versions', 'upsert', 'name', [{ name: 'r1', description: 'first', released: true }]);
    expect(updated).toMatchObject({ outcome: 'updated', id: created[0].id });
    const before = (await dest.read('versions', 'name', ['R1'])).get('R1')!;
    // Found by 'r1' ignoring case; the update then wrote the record's own spelling.
    expect(before).toEqual({ id: created[0].id, name: 'r1', projectId: 10000, description: 'first', releaseDate: '2025-02-01', startDate: null, released: true, archived: false });
    const [dup] = await dest.write('versions', 'create', 'name', [{ name: 'R1', projectId: 10000 }]);
    expect(dup.errors?.map((e) => e.field)).toEqual(['name']);
    expect((await dest.delete('versions', 'name', ['R1']))[0].outcome).toBe('deleted');
    const restored = await dest.restore('versions', 'name', before);
    expect(restored.id).not.toBe(before.id);
    expect((await dest.read('versions', 'name', ['R1'])).get('R1')).toMatchObject({ name: 'r1', description: 'first', released: true });
  });

  it('turns 429 into a transient error carrying Retry-After, and 401 into a permanent one', async () => {
    await j.admin('POST', 'faults', { faults: [{ path: '/rest/api/3/issue/bulkfetch', status: 429, retryAfter: 7, times: 1 }] });
    const limited = await failureOf(dest.read('issues', 'key', ['FORGE-1']));
    expect(limited).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 7000 });
    await ctx.saveCredentials({ username: 'forge-sync@example.com', password: 'wrong-token' });
    const denied = await failureOf(dest.read('issues', 'key', ['FORGE-1']));
    expect(denied).toMatchObject({ kind: 'permanent', status: 401 });
    expect(denied.message).not.toContain('wrong-token');
  });
});

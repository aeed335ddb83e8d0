import type { CapturePage, ChangeEvent, ConnectorContext } from '../../src/connectors/contract';
import { JiraApi } from '../../src/connectors/jira/api';
import { jiraSource, type JiraSourceOptions } from '../../src/connectors/jira/source';
import { findConnector } from '../../src/connectors/registry';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { adf, startJira, type JiraHarness } from '../sandboxes/jira-client';

// The JIRA connector's capture against its sandbox: JQL windows paged by nextPageToken, minute
// dates in the API user's time zone, an overlap re-read with deduplication by version (late-indexed
// changes are not lost, nothing is emitted twice), deletes found by key reconciliation, and
// versions captured by comparing lists.

jest.setTimeout(60_000);

type Logged = { method: string; path: string; status: number };

describe('JIRA source against the sandbox', () => {
  const def = findConnector('jira')!;
  let j: JiraHarness;
  let ctx: ConnectorContext;

  const source = (options: Partial<JiraSourceOptions> = {}) =>
    jiraSource(new JiraApi(ctx.http), { projectKeys: ['FORGE'], reconcileEveryMs: 3_600_000, settleMs: 0, ...options });
  const searches = async () => ((await j.admin('GET', 'requests')).body.requests as Logged[]).filter((r) => r.path === '/rest/api/3/search/jql').length;
  const edit = async (key: string, fields: Record<string, unknown>) => expect((await j.call('PUT', `/rest/api/3/issue/${key}`, { fields })).status).toBe(204);
  async function drain(capture: (cursor: unknown) => Promise<CapturePage>, cursor: unknown): Promise<{ changes: ChangeEvent[]; cursor: unknown; polls: number }> {
    const changes: ChangeEvent[] = [];
    let polls = 0;
    for (;;) {
      const page = await capture(cursor);
      polls++;
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return { changes, cursor, polls };
    }
  }

  async function start(options: Parameters<typeof startJira>[0] = {}) {
    j = await startJira(options);
    ctx = await connectToSandbox(def, j.url);
  }
  afterEach(async () => { await j.stop(); });

  it('pages windows with nextPageToken and cuts polls to their budget without loss or repeats', async () => {
    await start();
    await j.admin('POST', 'seed', { objects: { issues: Array.from({ length: 250 }, (_, i) => ({ summary: `s${i}`, updated: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString() })) } });
    const capture = source({ maxChangesPerPoll: 100 });
    const { changes, polls } = await drain((c) => capture.capture('issues', c), null);
    expect(polls).toBe(3);
    expect(changes).toHaveLength(250);
    expect(new Set(changes.map((c) => c.recordId)).size).toBe(250);
    expect(changes.map((c) => c.data!.summary)).toEqual(Array.from({ length: 250 }, (_, i) => `s${i}`));
    expect(changes[0]).toMatchObject({ op: 'upsert', occurredAt: '2025-01-01T00:00:00.000Z', version: '2025-01-01T00:00:00.000Z', data: { key: 'FORGE-1', 'project.key': 'FORGE' } });
    expect(await searches()).toBeGreaterThanOrEqual(5); // three windows of 100-issue pages, each answered with a nextPageToken
  });

  it('re-reads the overlap and emits again only issues with a new version', async () => {
    await start();
    await j.admin('POST', 'seed', { objects: { issues: [{ summary: 'a' }, { summary: 'b' }, { summary: 'c' }] } });
    const capture = source();
    const first = await capture.capture('issues', null);
    expect(first.changes.map((c) => c.data!.summary)).toEqual(['a', 'b', 'c']);
    const quiet = await capture.capture('issues', first.cursor);
    expect(quiet.changes).toEqual([]); // the same minute was searched again: nothing new
    await new Promise((r) => setTimeout(r, 5));
    await edit('FORGE-2', { summary: 'b2' });
    const second = await capture.capture('issues', quiet.cursor);
    expect(second.changes.map((c) => [c.data!.key, c.data!.summary])).toEqual([['FORGE-2', 'b2']]);
    expect(second.changes[0].version > first.changes[1].version).toBe(true);
    expect((await capture.capture('issues', second.cursor)).changes).toEqual([]);
  });

  it('does not lose a change the search index showed late: the overlap picks it up', async () => {
    await start();
    await j.admin('POST', 'seed', { objects: { issues: [{ summary: 'early' }] } });
    // Polls run 90 s ahead, so a caught-up cursor sits past the minute of the late change: only the
    // overlap re-reads that minute.
    const capture = source({ now: () => Date.now() + 90_000 });
    const first = await capture.capture('issues', null);
    await j.admin('POST', 'faults', { faults: [{ kind: 'stale-read', windowMs: 60_000 }] });
    await edit('FORGE-1', { summary: 'late' });
    const hidden = await capture.capture('issues', first.cursor);
    expect(hidden.changes).toEqual([]); // the index still answers the old version, already emitted
    await j.admin('DELETE', 'faults');
    const caught = await capture.capture('issues', hidden.cursor);
    expect(caught.changes.map((c) => c.data!.summary)).toEqual(['late']);
  });

  it('writes JQL minutes in the API user time zone, so later polls still see new changes', async () => {
    await start({ timeZone: 'America/Los_Angeles' });
    await j.admin('POST', 'seed', { objects: { issues: [{ summary: 'one' }] } });
    const capture = source();
    const first = await capture.capture('issues', null);
    await new Promise((r) => setTimeout(r, 5));
    await edit('FORGE-1', { summary: 'two', description: adf('now') });
    const second = await capture.capture('issues', first.cursor);
    expect(second.changes.map((c) => c.data!.summary)).toEqual(['two']);
    expect(second.changes[0].data!.description).toEqual(adf('now'));
  });

  it('finds deleted issues by reconciling keys, confirming with a fresh read', async () => {
    await start();
    const capture = source({ reconcileEveryMs: 0 });
    await j.admin('POST', 'seed', { objects: { issues: [{ summary: 'stays' }, { summary: 'goes' }] } });
    const first = await capture.capture('issues', null);
    expect(first.changes.map((c) => c.op)).toEqual(['upsert', 'upsert']);
    const goneId = first.changes[1].recordId;

    // An issue the index does not show yet is confirmed present by bulk fetch: no delete.
    const created = (await j.call('POST', '/rest/api/3/issue', { fields: { project: { key: 'FORGE' }, issuetype: { name: 'Task' }, summary: 'new' } })).body;
    const withNew = await capture.capture('issues', first.cursor);
    await j.admin('POST', 'faults', { faults: [{ kind: 'stale-read', windowMs: 60_000 }] });
    const unindexed = await capture.capture('issues', withNew.cursor);
    expect(unindexed.changes).toEqual([]);
    await j.admin('DELETE', 'faults');

    expect((await j.call('DELETE', '/rest/api/3/issue/FORGE-2')).status).toBe(204);
    const after = await capture.capture('issues', unindexed.cursor);
    expect(after.changes).toEqual([{ object: 'issues', recordId: goneId, op: 'delete', occurredAt: expect.any(String), version: expect.stringMatching(/\/deleted$/), data: null }]);
    expect((await capture.capture('issues', after.cursor)).changes).toEqual([]);
    expect(created.key).toBe('FORGE-3');
  });

  it('captures versions by comparing lists: new, changed and vanished ones', async () => {
    await start();
    await j.admin('POST', 'seed', { objects: { versions: [{ name: 'R1', projectId: 10000 }, { name: 'R2', projectId: 10000 }, { name: 'Other', projectId: 10001 }] } });
    const capture = source();
    const first = await capture.capture('versions', null);
    expect(first.changes.map((c) => [c.op, c.data!.name])).toEqual([['upsert', 'R1'], ['upsert', 'R2']]);
    expect((await capture.capture('versions', first.cursor)).changes).toEqual([]);
    const [r1, r2] = first.changes.map((c) => c.recordId);
    await j.call('PUT', `/rest/api/3/version/${r1}`, { released: true });
    await j.call('DELETE', `/rest/api/3/version/${r2}`);
    const second = await capture.capture('versions', first.cursor);
    expect(second.changes.map((c) => [c.op, c.recordId, c.data?.released])).toEqual([['upsert', r1, true], ['delete', r2, undefined]]);
    expect(second.changes[0].version > first.changes[0].version).toBe(true);
  });

  it('refuses a cursor it did not write', async () => {
    await start();
    const err = await failureOf(source().capture('issues', { after: 'x' }));
    expect(err.kind).toBe('permanent');
    expect(err.message).toMatch(/cursor is not one this connector wrote/);
  });
});

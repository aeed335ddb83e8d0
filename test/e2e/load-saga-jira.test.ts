import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// Loads into JIRA Cloud end to end through the REST API, on real Temporal and Postgres, against
// the JIRA sandbox, keyed by a text custom field holding the caller's id (customfield_10050).
// "The sandbox's state" is the live issues by that key with their content: issue keys, ids and
// timestamps are left out, because JIRA cannot restore a deleted issue (it is re-created with a
// new key) and stamps every write.

jest.setTimeout(180_000);

const EXT = 'customfield_10050';
const adf = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const issue = (i: number, tag: string): Record<string, unknown> => ({
  [EXT]: `ext-${i}`, 'project.key': 'FORGE', 'issuetype.name': 'Task', summary: `${tag} ${i}`, description: adf(`${tag} text ${i}`), labels: [tag],
});

describe('loads into JIRA: snapshot, write, verify, rollback', () => {
  let h: LoadHarness;
  beforeAll(async () => { h = await startLoadHarness('jira'); });
  afterAll(async () => { await h?.stop(); });
  beforeEach(async () => { await h.admin('POST', 'reset'); });

  async function contentByExternalId(): Promise<Record<string, Record<string, unknown>>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const stored of (await h.admin('GET', 'state')).body.objects.issues as Array<Record<string, unknown>>) {
      const { id: _id, key: _key, created: _c, updated: _u, ...content } = stored;
      out[String(stored[EXT])] = content;
    }
    return out;
  }
  async function seed(n: number) {
    const issues = Array.from({ length: n }, (_, i) => ({ project: 'FORGE', summary: `before ${i}`, description: adf(`before text ${i}`), labels: ['before'], [EXT]: `ext-${i}` }));
    expect((await h.admin('POST', 'seed', { objects: { issues } })).status).toBe(200);
  }
  async function startLoad(body: Record<string, unknown>): Promise<string> {
    const res = await h.api('POST', '/v1/loads', { connectionId: h.connectionId, object: 'issues', naturalKey: EXT, ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  }

  it('upserts issues (ADF and custom fields), verifies them, and a rollback leaves JIRA as it was', async () => {
    await seed(3);
    const before = await contentByExternalId();
    const id = await startLoad({ operation: 'upsert', records: Array.from({ length: 5 }, (_, i) => issue(i, 'after')) });
    const load = await h.waitForLoad(id, ['completed', 'failed', 'rolled_back']);
    expect(load.status).toBe('completed');
    expect(load.counts).toMatchObject({ total: 5, created: 2, updated: 3, failed: 0, verified: 5 });
    expect((await contentByExternalId())['ext-4']).toMatchObject({ summary: 'after 4', description: adf('after text 4'), labels: ['after'] });

    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await contentByExternalId()).toEqual(before);
  });

  it('rolls back by default when JIRA refuses a plain-string description, naming the field', async () => {
    await seed(2);
    const before = await contentByExternalId();
    const records = Array.from({ length: 4 }, (_, i) => issue(i, 'bad'));
    records[3].description = 'plain text where JIRA wants a document';
    const id = await startLoad({ operation: 'upsert', records });
    const load = await h.waitForLoad(id, ['rolled_back', 'failed', 'completed']);
    expect(load.status).toBe('rolled_back');
    const [failed] = await h.allRecords(id, 'failed');
    expect(failed).toMatchObject({ index: 3, errors: [{ field: 'description', message: expect.stringMatching(/Atlassian Document/) }] });
    expect(await contentByExternalId()).toEqual(before);
  });

  const issueKeys = async () => ((await h.admin('GET', 'state')).body.objects.issues as Array<Record<string, unknown>>).map((i) => String(i.key));
  const issueIds = async () => ((await h.admin('GET', 'state')).body.objects.issues as Array<Record<string, unknown>>).map((i) => String(i.id));

  it('deletes, and a rollback re-creates the issue under a new key, recorded on the load', async () => {
    await seed(2);
    const before = await contentByExternalId();
    const [kept, deleted] = await issueKeys();
    const [, deletedId] = await issueIds();
    const id = await startLoad({ operation: 'delete', records: [{ [EXT]: 'ext-1' }] });
    expect((await h.waitForLoad(id, ['completed', 'failed'])).counts).toMatchObject({ deleted: 1, failed: 0 });
    expect(Object.keys(await contentByExternalId())).toEqual(['ext-0']);
    expect((await h.api('POST', `/v1/loads/${id}/rollback`)).status).toBe(202);
    expect((await h.waitForLoad(id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect(await contentByExternalId()).toEqual(before);
    const [stillKept, recreated] = await issueKeys();
    expect(stillKept).toBe(kept);
    expect(recreated).not.toBe(deleted); // JIRA never hands a key out twice
    const [record] = await h.allRecords(id);
    expect(record.status).toBe('rolled_back');
    const [, recreatedId] = await issueIds();
    expect(JSON.stringify(record)).toContain(`re-created with new id ${recreatedId} (was ${deletedId})`);
  });

  it('captures issues into the Stream through JQL windows', async () => {
    await seed(3);
    const keys = await issueKeys();
    const res = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: 'issues', intervalSeconds: 1 });
    expect(res.status).toBe(201);
    try {
      const events = await waitFor('three captured issues', async () => {
        const page = await h.api('GET', `/v1/stream?${new URLSearchParams({ connectionId: h.connectionId, object: 'issues', limit: '100' })}`);
        return page.body.events.length >= 3 ? page.body.events : undefined;
      });
      expect(events.map((e: any) => [e.op, e.data.key, e.data[EXT]])).toEqual([['upsert', keys[0], 'ext-0'], ['upsert', keys[1], 'ext-1'], ['upsert', keys[2], 'ext-2']]);
    } finally {
      await h.api('DELETE', `/v1/captures/${res.body.id}`);
    }
  });
});

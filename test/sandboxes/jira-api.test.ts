import { adf, checkAgainstJiraSpec, startJira, type JiraHarness } from './jira-client';

// The JIRA Cloud sandbox over real HTTP: Basic auth, issues (bulk create, bulk fetch, edit, delete),
// ADF and custom-field validation, JQL search paging and time zones, versions, error bodies, and
// conformance with Atlassian's published REST v3 description (../shared/specs/jira).

jest.setTimeout(60_000);

const task = (summary: string, extra: Record<string, unknown> = {}) => ({ fields: { project: { key: 'FORGE' }, issuetype: { name: 'Task' }, summary, ...extra } });

describe('JIRA sandbox (REST API v3)', () => {
  let j: JiraHarness;
  afterEach(async () => { await j.stop(); });

  describe('with the default site', () => {
    beforeEach(async () => { j = await startJira(); });

    it('answers 401 with an ErrorCollection without or with wrong Basic credentials', async () => {
      for (const auth of [null, `Basic ${Buffer.from('forge-sync@example.com:wrong').toString('base64')}`]) {
        const res = await j.call('GET', '/rest/api/3/myself', undefined, auth);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errorMessages: [expect.stringMatching(/not authenticated/)], errors: {} });
      }
      expect((await j.call('GET', '/rest/api/3/myself')).body).toMatchObject({ accountId: expect.any(String), timeZone: 'Europe/Berlin' });
    });

    it('bulk-creates up to 50 issues, refusing a plain-string description by position and field', async () => {
      const res = await j.call('POST', '/rest/api/3/issue/bulk', { issueUpdates: [
        task('rich', { description: adf('ok') }),
        task('plain', { description: 'not a document' }),
        task('no summary', { summary: '' }),
      ] });
      expect(res.status).toBe(201);
      expect(res.body.issues).toEqual([{ id: expect.any(String), key: 'FORGE-1', self: expect.any(String) }]);
      expect(res.body.errors).toEqual([
        { status: 400, failedElementNumber: 1, elementErrors: { errorMessages: [], errors: { description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' } } },
        { status: 400, failedElementNumber: 2, elementErrors: { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } } },
      ]);
      const allBad = await j.call('POST', '/rest/api/3/issue/bulk', { issueUpdates: [task('x', { labels: ['has space'] })] });
      expect(allBad.status).toBe(400);
      expect(allBad.body.errors[0].elementErrors.errors).toEqual({ labels: "The label 'has space' contains spaces which is invalid." });
      const tooMany = await j.call('POST', '/rest/api/3/issue/bulk', { issueUpdates: Array.from({ length: 51 }, (_, i) => task(`t${i}`)) });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.errorMessages[0]).toMatch(/at most 50/);
    });

    it('takes custom fields by id and type, and refuses unknown ones by name', async () => {
      const created = await j.call('POST', '/rest/api/3/issue', task('custom', { customfield_10050: 'ext-7', customfield_10051: adf('impact'), customfield_10052: 5 }));
      expect(created.status).toBe(201);
      const got = await j.call('GET', `/rest/api/3/issue/${created.body.key}?fields=customfield_10050,customfield_10051,customfield_10052`);
      expect(got.body.fields).toEqual({ customfield_10050: 'ext-7', customfield_10051: adf('impact'), customfield_10052: 5 });
      const bad = await j.call('PUT', `/rest/api/3/issue/${created.body.key}`, { fields: { customfield_10051: 'plain', customfield_10052: 'five', customfield_99999: 'x' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual({
        customfield_10051: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
        customfield_10052: 'Operation value must be a number',
        customfield_99999: "Field 'customfield_99999' cannot be set. It is not on the appropriate screen, or unknown.",
      });
    });

    it('never hands a deleted issue key out again, and finds keys ignoring case', async () => {
      const first = (await j.call('POST', '/rest/api/3/issue', task('one'))).body;
      expect((await j.call('GET', '/rest/api/3/issue/forge-1?fields=summary')).body).toMatchObject({ key: 'FORGE-1', fields: { summary: 'one' } });
      expect((await j.call('DELETE', `/rest/api/3/issue/${first.key}`)).status).toBe(204);
      const gone = await j.call('GET', `/rest/api/3/issue/${first.key}`);
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
      const again = (await j.call('POST', '/rest/api/3/issue', task('one'))).body;
      expect(again.key).toBe('FORGE-2');
    });

    it('pages JQL results with nextPageToken, each issue exactly once, ids only by default', async () => {
      await j.admin('POST', 'seed', { objects: { issues: Array.from({ length: 120 }, (_, i) => ({ summary: `s${i}` })) } });
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const res = await j.call('POST', '/rest/api/3/search/jql', { jql: 'project = FORGE ORDER BY key ASC', maxResults: 50, ...(token ? { nextPageToken: token } : {}) });
        expect(res.status).toBe(200);
        for (const issue of res.body.issues) expect(Object.keys(issue)).toEqual(['id']);
        seen.push(...res.body.issues.map((i: any) => i.id));
        token = res.body.nextPageToken;
        expect(res.body.isLast).toBe(token === undefined);
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(120);
      const unbounded = await j.call('POST', '/rest/api/3/search/jql', { jql: 'order by key desc' });
      expect(unbounded.status).toBe(400);
      expect(unbounded.body.errorMessages).toEqual(['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
      const badToken = await j.call('POST', '/rest/api/3/search/jql', { jql: 'project = OPS', nextPageToken: token ?? 'garbage' });
      expect(badToken.status).toBe(400);
    });

    it('searches text custom fields by words: "ext-1" finds ext-1, never ext-10', async () => {
      await j.admin('POST', 'seed', { objects: { issues: [{ summary: 'a', customfield_10050: 'ext-1' }, { summary: 'b', customfield_10050: 'ext-10' }] } });
      const res = await j.call('POST', '/rest/api/3/search/jql', { jql: 'project = FORGE AND cf[10050] ~ "\\"ext-1\\""', fields: ['customfield_10050'] });
      expect(res.body.issues.map((i: any) => i.fields.customfield_10050)).toEqual(['ext-1']);
    });

    it('lets search trail writes (stale-read) while bulk fetch and reconcileIssues read fresh', async () => {
      const created = (await j.call('POST', '/rest/api/3/issue', task('fresh'))).body;
      await j.admin('POST', 'faults', { faults: [{ kind: 'stale-read', windowMs: 60_000 }] });
      const search = await j.call('POST', '/rest/api/3/search/jql', { jql: 'project = FORGE' });
      expect(search.body.issues).toEqual([]);
      const reconciled = await j.call('POST', '/rest/api/3/search/jql', { jql: 'project = FORGE', reconcileIssues: [Number(created.id)] });
      expect(reconciled.body.issues).toEqual([{ id: created.id }]);
      const fetched = await j.call('POST', '/rest/api/3/issue/bulkfetch', { issueIdsOrKeys: [created.key], fields: ['summary'] });
      expect(fetched.body.issues.map((i: any) => i.key)).toEqual([created.key]);
    });

    it('keeps version names unique per project, ignoring case', async () => {
      const v1 = await j.call('POST', '/rest/api/3/version', { name: 'Release 1', projectId: 10000, releaseDate: '2025-03-01' });
      expect(v1.status).toBe(201);
      const dup = await j.call('POST', '/rest/api/3/version', { name: 'release 1', projectId: 10000 });
      expect(dup.body).toEqual({ errorMessages: [], errors: { name: 'A version with this name already exists in this project.' } });
      expect((await j.call('POST', '/rest/api/3/version', { name: 'release 1', projectId: 10001 })).status).toBe(201);
      const badDate = await j.call('PUT', `/rest/api/3/version/${v1.body.id}`, { releaseDate: '01/03/2025' });
      expect(Object.keys(badDate.body.errors)).toEqual(['releaseDate']);
      expect((await j.call('GET', '/rest/api/3/project/FORGE/versions')).body.map((v: any) => v.name)).toEqual(['Release 1']);
    });

    it('answers an injected 429 with Retry-After', async () => {
      await j.admin('POST', 'faults', { faults: [{ path: '/rest/api/3/search/jql', status: 429, retryAfter: 3, times: 1 }] });
      const res = await j.call('POST', '/rest/api/3/search/jql', { jql: 'project = FORGE' });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(res.body).toEqual({ errorMessages: ['Rate limit exceeded.'], errors: {} });
    });

    it("speaks Atlassian's published description: requests and responses validate", async () => {
      const createBody = { issueUpdates: [task('spec', { description: adf('d'), customfield_10050: 'ext-s' }), task('bad', { description: 'x' })] };
      const created = await j.call('POST', '/rest/api/3/issue/bulk', createBody);
      const key = created.body.issues[0].key;
      const fetchBody = { issueIdsOrKeys: [key], fields: ['summary', 'project', 'updated'] };
      const fetched = await j.call('POST', '/rest/api/3/issue/bulkfetch', fetchBody);
      const searchBody = { jql: 'project = FORGE AND updated >= "2020-01-01 00:00" ORDER BY updated ASC', fields: ['summary', 'updated'], maxResults: 1 };
      const searched = await j.call('POST', '/rest/api/3/search/jql', searchBody);
      const editBody = { fields: { summary: 'edited', labels: ['a'] } };
      expect((await j.call('PUT', `/rest/api/3/issue/${key}`, editBody)).status).toBe(204);
      const issue = await j.call('GET', `/rest/api/3/issue/${key}`);
      const me = await j.call('GET', '/rest/api/3/myself');
      const versionBody = { name: 'v-spec', projectId: 10000, releaseDate: '2025-01-31' };
      const version = await j.call('POST', '/rest/api/3/version', versionBody);
      const versions = await j.call('GET', '/rest/api/3/project/FORGE/versions');
      const results = checkAgainstJiraSpec([
        { operationId: 'createIssues', request: { method: 'post', path: '/rest/api/3/issue/bulk', body: createBody }, response: { status: 201, body: created.body } },
        { operationId: 'bulkFetchIssues', request: { method: 'post', path: '/rest/api/3/issue/bulkfetch', body: fetchBody }, response: { status: 200, body: fetched.body } },
        { operationId: 'searchAndReconsileIssuesUsingJqlPost', request: { method: 'post', path: '/rest/api/3/search/jql', body: searchBody }, response: { status: 200, body: searched.body } },
        { operationId: 'editIssue', request: { method: 'put', path: `/rest/api/3/issue/${key}`, body: editBody } },
        { operationId: 'getIssue', response: { status: 200, body: issue.body } },
        { operationId: 'getCurrentUser', response: { status: 200, body: me.body } },
        { operationId: 'createVersion', request: { method: 'post', path: '/rest/api/3/version', body: versionBody }, response: { status: 201, body: version.body } },
        { operationId: 'getProjectVersions', response: { status: 200, body: versions.body } },
      ]);
      for (const r of results) expect(r).toEqual({ operationId: r.operationId, errors: [] });
    });
  });

  it('reads JQL date minutes in the API user time zone', async () => {
    j = await startJira({ timeZone: 'America/Los_Angeles' });
    await j.admin('POST', 'seed', { objects: { issues: [{ summary: 'at noon UTC', updated: '2025-06-01T12:00:30.000Z' }] } });
    const find = async (since: string) => (await j.call('POST', '/rest/api/3/search/jql', { jql: `project = FORGE AND updated >= "${since}"` })).body.issues.length;
    expect(await find('2025-06-01 05:00')).toBe(1); // 12:00 UTC is 05:00 in Los Angeles (PDT)
    expect(await find('2025-06-01 05:01')).toBe(0);
    expect(await find('2025-06-01 12:00')).toBe(0); // the UTC wall time, read as Los Angeles time, is 7 hours later
  });
});

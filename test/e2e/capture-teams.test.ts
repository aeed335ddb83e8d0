import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';

// Capture from a Teams channel (Graph's channel-messages delta, plus replies of followed threads)
// into the Stream, end to end: REST API, Temporal, Postgres, the Teams sandbox.

const TEAM = '172b0cce-e65d-44ce-9a49-91d9f2e8593a';
const CHANNEL = '19:capture0001@thread.tacv2';
const OBJECT = `messages:${TEAM}/${CHANNEL}`;
const M = `/v1.0/teams/${TEAM}/channels/${encodeURIComponent(CHANNEL)}/messages`;

interface StreamEvent {
  offset: number;
  recordId: string;
  op: 'upsert' | 'delete';
  data: Record<string, unknown> | null;
}


jest.setTimeout(90_000);

describe('capture from a Teams channel into the Stream', () => {
  let h: LoadHarness;
  let token: string;
  const started: string[] = [];
  beforeAll(async () => {
    h = await startLoadHarness('teams');
    await h.admin('POST', 'seed', { objects: { teams: [{ id: TEAM }], channels: [{ id: CHANNEL, teamId: TEAM }] } });
    const { credentials } = (await h.admin('GET', 'credentials')).body;
    const res = await fetch(`${h.sandbox.url}/${credentials.tenantId}/oauth2/v2.0/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken, scope: 'ChannelMessage.Send' }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    for (const id of started) await h?.api('DELETE', `/v1/captures/${id}`).catch(() => {});
    await h?.stop();
  });

  async function graph(method: string, path: string, content?: string): Promise<any> {
    const res = await fetch(`${h.sandbox.url}${M}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(content !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: content !== undefined ? JSON.stringify({ body: { contentType: 'html', content } }) : undefined,
    });
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  }
  async function streamOf(): Promise<StreamEvent[]> {
    const page = await h.api('GET', `/v1/stream?${new URLSearchParams({ connectionId: h.connectionId, object: OBJECT, limit: '1000' })}`);
    expect(page.status).toBe(200);
    return page.body.events;
  }

  it('captures posts, replies, edits and deletes exactly once, across a pause and resume', async () => {
    const a = (await graph('POST', '', 'A<span data-forge-origin="slack:C1/1" data-forge-type="html"></span>')).id as string;
    const b = (await graph('POST', '', 'B')).id as string;
    const res = await h.api('POST', '/v1/captures', { connectionId: h.connectionId, object: OBJECT, intervalSeconds: 1 });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    started.push(id);
    await waitFor('the first posts', async () => (await streamOf()).length >= 2);

    expect((await h.api('POST', `/v1/captures/${id}/pause`)).status).toBe(202);
    await waitFor('the pause', async () => (await h.api('GET', `/v1/captures/${id}`)).body.status === 'paused');
    const r = (await graph('POST', `/${a}/replies`, 'R')).id as string;
    await graph('PATCH', `/${b}`, 'B2');
    await graph('PATCH', `/${a}/replies/${r}`, 'R2');
    await graph('POST', `/${a}/softDelete`);
    expect((await h.api('POST', `/v1/captures/${id}/resume`)).status).toBe(202);

    const events = await waitFor('the reply, the edits and the delete', async () => {
      const all = await streamOf();
      return all.length >= 5 && all;
    });
    const name = (recordId: string) => (recordId === a ? 'a' : recordId === b ? 'b' : recordId === r ? 'r' : recordId);
    expect(events.slice(0, 2).map((e) => `${name(e.recordId)}:${e.op}:${String(e.data?.content ?? '')}`)).toEqual(['a:upsert:A', 'b:upsert:B']);
    expect(events[0].data).toMatchObject({ forge_origin: 'slack:C1/1' });
    expect(events.slice(2).map((e) => `${name(e.recordId)}:${e.op}:${String(e.data?.content ?? '')}`).sort()).toEqual(['a:delete:', 'b:upsert:B2', 'r:upsert:R2'].sort());
    expect(events.find((e) => e.recordId === r)?.data).toMatchObject({ replyToId: a });
    for (let i = 1; i < events.length; i++) expect(events[i].offset).toBeGreaterThan(events[i - 1].offset);

    const polls = (await h.api('GET', `/v1/captures/${id}`)).body.polls as number;
    await waitFor('two more polls', async () => (await h.api('GET', `/v1/captures/${id}`)).body.polls >= polls + 2);
    expect(await streamOf()).toHaveLength(5);
    expect((await h.api('GET', `/v1/captures/${id}`)).body.cursor).toEqual(expect.objectContaining({ deltaToken: expect.any(String), threads: expect.any(Array) }));
    expect((await h.api('DELETE', `/v1/captures/${id}`)).status).toBe(204);
  });
});

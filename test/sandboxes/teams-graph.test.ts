import { startTeamsSandbox } from '../../sandboxes/teams';
import type { RunningSandbox, SpecExchange } from '../../sandboxes/kit';
import { checkAgainstSpec } from '../helpers/spec-check';

// The Teams sandbox over real HTTP: the identity platform's token endpoint, Graph v1.0 channel
// messages (post, reply, get, list, PATCH, softDelete/undoSoftDelete, delta), Graph error bodies,
// per-channel throttling, and conformance with Graph's OpenAPI description (../shared/specs).

const TEAM = '172b0cce-e65d-44ce-9a49-91d9f2e8593a';
const CHANNEL = '19:22273db3497f4b32bue61f6e82be21c5@thread.tacv2';
const M = `/v1.0/teams/${TEAM}/channels/${encodeURIComponent(CHANNEL)}/messages`;

interface Reply { status: number; body: any; headers: Headers }

async function startGraph(options: Parameters<typeof startTeamsSandbox>[0] = {}) {
  const sandbox = await startTeamsSandbox(options);
  const admin = async (method: string, p: string, body?: unknown): Promise<Reply> => {
    const res = await fetch(`${sandbox.url}/__sandbox/${p}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const { credentials } = (await admin('GET', 'credentials')).body;
  await admin('POST', 'seed', { objects: { teams: [{ id: TEAM, displayName: 'Forge' }], channels: [{ id: CHANNEL, teamId: TEAM, displayName: 'General' }] } });
  const token = async (form: Record<string, string>, tenant = credentials.tenantId): Promise<Reply> => {
    const res = await fetch(`${sandbox.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
  const grant = { grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken, scope: 'offline_access ChannelMessage.Send' };
  const accessToken = (await token(grant)).body.access_token as string;
  const call = async (method: string, p: string, body?: unknown, bearer: string | null = accessToken): Promise<Reply> => {
    const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(p.startsWith('http') ? p : `${sandbox.url}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  return { sandbox, admin, token, grant, credentials, call };
}

/** Exchanges checked against Graph's OpenAPI description, with the sandbox kit's spec check. */
function checkAgainstGraphSpec(exchanges: SpecExchange[]): Array<{ operationId?: string; errors: unknown[] }> {
  return checkAgainstSpec('teams', exchanges);
}

jest.setTimeout(60_000);

describe('Teams sandbox (Microsoft Graph v1.0)', () => {
  let g: Awaited<ReturnType<typeof startGraph>>;
  let sandbox: RunningSandbox;
  beforeEach(async () => { g = await startGraph(); sandbox = g.sandbox; });
  afterEach(async () => { await sandbox.stop(); });

  it('issues tokens per tenant and refuses bad grants with AADSTS errors', async () => {
    const ok = await g.token(g.grant);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), refresh_token: expect.any(String), expires_in: expect.any(Number) });
    expect((await g.token({ ...g.grant, refresh_token: 'nope' })).body).toMatchObject({ error: 'invalid_grant', error_codes: [70000] });
    expect((await g.token({ ...g.grant, client_secret: 'nope' })).status).toBe(401);
    expect((await g.token(g.grant, 'other-tenant')).body.error).toBe('invalid_request');
    const anonymous = await g.call('GET', `${M}/1`, undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.', innerError: { 'request-id': expect.any(String) } });
  });

  it('posts, replies, edits, soft-deletes and undeletes, with epoch-ms ids and Graph error bodies', async () => {
    const before = Date.now();
    const root = await g.call('POST', M, { body: { contentType: 'html', content: '<p>hello</p>' } });
    expect(root.status).toBe(201);
    expect(Number(root.body.id)).toBeGreaterThanOrEqual(before);
    expect(root.body).toMatchObject({ replyToId: null, deletedDateTime: null, body: { contentType: 'html', content: '<p>hello</p>' }, channelIdentity: { teamId: TEAM, channelId: CHANNEL } });
    const reply = await g.call('POST', `${M}/${root.body.id}/replies`, { body: { content: 'a reply' } });
    expect(reply.body).toMatchObject({ replyToId: root.body.id, body: { contentType: 'text', content: 'a reply' } });
    expect(Number(reply.body.id)).toBeGreaterThan(Number(root.body.id));

    expect((await g.call('PATCH', `${M}/${root.body.id}`, { body: { contentType: 'html', content: '<p>edited</p>' } })).status).toBe(204);
    const edited = await g.call('GET', `${M}/${root.body.id}`);
    expect(edited.body).toMatchObject({ body: { content: '<p>edited</p>' }, lastEditedDateTime: expect.any(String) });
    expect((await g.call('GET', `${M}/${reply.body.id}`)).status).toBe(404); // a reply lives under its parent
    expect((await g.call('GET', `${M}/${root.body.id}/replies/${reply.body.id}`)).body.body.content).toBe('a reply');

    expect((await g.call('POST', `${M}/${reply.body.id}/softDelete`)).status).toBe(404);
    expect((await g.call('POST', `${M}/${root.body.id}/replies/${reply.body.id}/softDelete`)).status).toBe(204);
    const gone = await g.call('GET', `${M}/${root.body.id}/replies/${reply.body.id}`);
    expect(gone.body).toMatchObject({ deletedDateTime: expect.any(String), body: { content: '' } });
    expect((await g.call('POST', `${M}/${root.body.id}/replies/${reply.body.id}/microsoft.graph.undoSoftDelete`)).status).toBe(204);
    const back = await g.call('GET', `${M}/${root.body.id}/replies/${reply.body.id}`);
    expect(back.body).toMatchObject({ id: reply.body.id, deletedDateTime: null, body: { content: 'a reply' } });

    const empty = await g.call('POST', M, { body: { contentType: 'text', content: '' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining("'body.content'") });
    expect((await g.call('POST', M, { body: { contentType: 'markdown', content: 'x' } })).body.error.message).toContain("'body.contentType'");
    expect((await g.call('POST', `/v1.0/teams/${TEAM}/channels/nope/messages`, { body: { content: 'x' } })).body.error.code).toBe('NotFound');

    const list = await g.call('GET', `${M}?$expand=replies`);
    expect(list.body.value).toHaveLength(1);
    expect(list.body.value[0].replies.map((r: any) => r.id)).toEqual([reply.body.id]);
  });

  it('delta: a full sync in pages, then only what changed (deletes with deletedDateTime), replies left out', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await g.call('POST', M, { body: { content: `m${i}` } })).body.id);
    await g.call('POST', `${M}/${ids[0]}/replies`, { body: { content: 'reply' } });
    const seen: string[] = [];
    let page = await g.call('GET', `${M}/delta?$top=2`);
    let pages = 1;
    while (page.body['@odata.nextLink']) {
      seen.push(...page.body.value.map((m: any) => m.id));
      page = await g.call('GET', page.body['@odata.nextLink']);
      pages++;
    }
    seen.push(...page.body.value.map((m: any) => m.id));
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    const deltaLink = page.body['@odata.deltaLink'] as string;
    expect(deltaLink).toMatch(/\$deltatoken=/);
    expect((await g.call('GET', deltaLink)).body.value).toEqual([]);

    await g.call('PATCH', `${M}/${ids[1]}`, { body: { content: 'm1 edited' } });
    await g.call('POST', `${M}/${ids[2]}/softDelete`);
    const changes = await g.call('GET', deltaLink);
    expect(changes.body.value.map((m: any) => [m.id, m.deletedDateTime === null ? m.body.content : 'deleted'])).toEqual([[ids[1], 'm1 edited'], [ids[2], 'deleted']]);
    expect((await g.call('GET', `${M}/microsoft.graph.delta()`)).body.value).toHaveLength(4); // a new full sync leaves deleted ones out
  });

  it('throttles each channel at its documented rate when asked to, with Retry-After', async () => {
    await sandbox.stop();
    g = await startGraph({ throttle: { limit: 4, windowMs: 60_000, tenantPosts: { limit: 100, windowMs: 1000 } } });
    sandbox = g.sandbox;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await g.call('POST', M, { body: { content: `t${i}` } })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
    const refused = await g.call('GET', `${M}/delta`);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('TooManyRequests');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits channel posts per app in the tenant, every channel together, as Graph does (2 a second; a longer window here)', async () => {
    await sandbox.stop();
    g = await startGraph({ throttle: { tenantPosts: { limit: 2, windowMs: 60_000 }, limit: 100 } });
    sandbox = g.sandbox;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await g.call('POST', M, { body: { content: `p${i}` } })).status);
    expect(statuses).toEqual([201, 201, 429]);
    expect((await g.call('GET', `${M}/delta`)).status).toBe(200); // reads do not count against posts
  });

  it('answers what Graph\'s OpenAPI description says, for requests and responses', async () => {
    const root = await g.call('POST', M, { body: { contentType: 'html', content: '<p>spec</p>' } });
    const reply = await g.call('POST', `${M}/${root.body.id}/replies`, { body: { contentType: 'text', content: 'r' } });
    const got = await g.call('GET', `${M}/${root.body.id}`);
    const list = await g.call('GET', `${M}?$top=5&$expand=replies`);
    const delta = await g.call('GET', `${M}/delta`);
    const replies = await g.call('GET', `${M}/${root.body.id}/replies`);
    const error = await g.call('POST', M, { body: { content: '' } });
    const specPath = `/teams/${TEAM}/channels/${encodeURIComponent(CHANNEL)}/messages`;
    const results = checkAgainstGraphSpec([
      { operationId: 'teams.channels.CreateMessages', request: { method: 'POST', path: specPath, body: { body: { contentType: 'html', content: '<p>spec</p>' } } }, response: { status: 201, body: root.body } },
      { operationId: 'teams.channels.messages.CreateReplies', request: { method: 'POST', path: `${specPath}/${root.body.id}/replies`, body: { body: { contentType: 'text', content: 'r' } } }, response: { status: 201, body: reply.body } },
      { operationId: 'teams.channels.GetMessages', response: { status: 200, body: got.body } },
      { operationId: 'teams.channels.UpdateMessages', request: { method: 'PATCH', path: `${specPath}/${root.body.id}`, body: { body: { contentType: 'text', content: 'x' } } } },
      { operationId: 'teams.channels.ListMessages', response: { status: 200, body: list.body } },
      { operationId: 'teams.channels.messages.ListReplies', response: { status: 200, body: replies.body } },
      { operationId: 'teams.team.channels.channel.messages.delta', response: { status: 200, body: delta.body } },
      { operationId: 'teams.channels.CreateMessages', response: { status: 400, body: error.body } },
    ]);
    expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
    expect(results).toHaveLength(8);
    expect(error.status).toBe(400);
  });
});

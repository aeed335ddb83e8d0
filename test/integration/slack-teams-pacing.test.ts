import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { startSlackSandbox } from '../../sandboxes/slack';
import { startTeamsSandbox } from '../../sandboxes/teams';
import type { RunningSandbox } from '../../sandboxes/kit';
import type { LoggedRequest } from '../../sandboxes/kit/request-log';
import { buildConnectorContext } from '../../src/connectors/context';
import { findConnector } from '../../src/connectors/registry';
import { SlackApi } from '../../src/connectors/slack/slack-api';
import { pageLimitFor } from '../../src/connectors/slack/rate-limits';
import { GraphApi } from '../../src/connectors/teams/graph-api';
import { createPool } from '../../src/platform/db/pool';
import { isConnectorError } from '../../src/platform/errors';
import { RequestBudgetStore } from '../../src/platform/rate-budget';
import { InMemoryCredentialStore, sandboxAdmin } from '../helpers/sandbox-connection';
import { busiestWindow, closestApart } from '../helpers/request-windows';
import { testStack } from '../helpers/stack';

/**
 * Slack and Teams paced to their documented limits by keyed request budgets (issue 24, item 7): the
 * sandboxes enforce the limits, the connectors' requests draw on buckets per method / per channel
 * in Postgres, and a burst of posts sent all at once arrives with zero 429s, in the order sent.
 * Counts come from the sandboxes' request logs; nothing is timed.
 */
jest.setTimeout(180_000);

describe('Slack and Teams paced by keyed request budgets', () => {
  let pool: Pool;
  let sb: RunningSandbox | undefined;
  beforeAll(() => { pool = createPool(testStack().databaseUrl, 4); });
  afterAll(async () => { await pool.end(); });
  afterEach(async () => { await sb?.stop(); sb = undefined; });
  const admin = sandboxAdmin(() => sb!.url);

  async function connect(system: 'slack' | 'teams', config: Record<string, unknown> = {}) {
    const def = findConnector(system)!;
    const given = await admin('GET', 'credentials');
    const store = new InMemoryCredentialStore();
    const identity = { tenantId: `t-${randomUUID()}`, connectionId: `c-${randomUUID()}`, config: def.config.parse({ ...given.config, ...config }) };
    await store.put(identity.tenantId, identity.connectionId, given.credentials);
    return buildConnectorContext(def, identity, store, new RequestBudgetStore(pool));
  }

  it('Slack: 40 posts sent at once into one channel (and 5 into another) arrive with zero 429s, in order, never 2 in a second per channel', async () => {
    sb = await startSlackSandbox({ postMessageLimit: true, methodTiers: true });
    await admin('POST', 'seed', { objects: { channels: [{ id: 'C0PACE0001', name: 'load' }, { id: 'C0PACE0002', name: 'other' }] } });
    const api = new SlackApi((await connect('slack')).http);
    const texts = Array.from({ length: 40 }, (_, i) => `load ${i}`);
    const posted = await Promise.all([
      ...texts.map((text) => api.postMessage({ channel: 'C0PACE0001', text })),
      ...Array.from({ length: 5 }, (_, i) => api.postMessage({ channel: 'C0PACE0002', text: `other ${i}` })),
    ]);
    const log = (await admin('GET', 'requests')).requests as LoggedRequest[];
    expect(log.filter((r) => r.status === 429)).toEqual([]);
    const history = await api.history('C0PACE0001');
    expect(history.map((m) => m.text).reverse()).toEqual(texts); // history is newest first
    // 45 posts over two channels: 1 per second per channel allows 2 in a second, never 3.
    const posts = log.filter((r) => r.path === '/api/chat.postMessage');
    expect(posts).toHaveLength(45);
    expect(busiestWindow(posts, 1000)).toBeLessThanOrEqual(2);
    const spanSeconds = (Date.parse(posts[posts.length - 1].receivedAt) - Date.parse(posts[0].receivedAt)) / 1000;
    // Each channel has its own bucket: the other channel's 5 posts, asked for after the 40, did not
    // queue behind them (one bucket for both would have sent them last). The sandbox's ts follow arrival.
    const arrival = (p: { ts: string }) => Number(p.ts);
    const firstChannel = posted.slice(0, 40).map(arrival).sort((a, b) => a - b);
    const closestMs = Math.min(...firstChannel.slice(1).map((ts, i) => (ts - firstChannel[i]!) * 1000));
    console.log(`slack: 40 posts to one channel over ${spanSeconds.toFixed(1)} s = ${((39 / spanSeconds) * 100).toFixed(0)}% of 1/s; closest two ${closestMs.toFixed(0)} ms apart`);
    expect(Math.max(...posted.slice(40).map(arrival))).toBeLessThan(firstChannel[19]!);
  });

  it('Slack, non-Marketplace 2025 app: history reads pages of 15 and a second read within the minute waits in the budget, not in a 429', async () => {
    sb = await startSlackSandbox({ appDistribution: 'non-marketplace-2025' });
    await admin('POST', 'seed', { objects: { channels: [{ id: 'C0PACE0003', name: 'slow' }],
      messages: Array.from({ length: 20 }, (_, i) => ({ channel: 'C0PACE0003', text: `m${i}`, ts: `17000000${String(10 + i)}.000100` })) } });
    const ctx = await connect('slack', { appDistribution: 'non-marketplace-2025' });
    expect(pageLimitFor('non-marketplace-2025')).toBe(15);
    const api = new SlackApi(ctx.http, pageLimitFor('non-marketplace-2025'));
    const first = await api.history('C0PACE0003', {}, 15);
    expect(first).toHaveLength(15);
    // The second read's turn is a minute away: longer than an activity waits, so it fails as transient with that Retry-After.
    const second = await api.history('C0PACE0003', {}, 15).catch((err: unknown) => err);
    expect(isConnectorError(second) && second.kind === 'transient' && (second.retryAfterMs ?? 0) > 50_000).toBe(true);
    // Other methods keep their own buckets: a post goes out at once.
    await api.postMessage({ channel: 'C0PACE0003', text: 'still posting' });
    const log = (await admin('GET', 'requests')).requests as LoggedRequest[];
    expect(log.filter((r) => r.status === 429)).toEqual([]);
    expect(log.filter((r) => r.path === '/api/conversations.history').map((r) => new URLSearchParams(r.query).get('limit'))).toEqual(['15']);
  });

  it('Teams: 20 posts and 20 replies sent at once arrive with zero 429s, in order, within 4 requests/s per channel and 2 posts/s per tenant', async () => {
    sb = await startTeamsSandbox({ throttle: true });
    const team = '172b0cce-e65d-44ce-9a49-91d9f2e8593a';
    const ch = { teamId: team, channelId: '19:pace0001@thread.tacv2' };
    await admin('POST', 'seed', { objects: { teams: [{ id: team }], channels: [{ id: ch.channelId, teamId: team }] } });
    const api = new GraphApi((await connect('teams')).http);
    const parent = await api.post(ch, { contentType: 'text', content: 'parent' });
    const texts = Array.from({ length: 20 }, (_, i) => `load ${i}`);
    await Promise.all([
      ...texts.map((content) => api.post(ch, { contentType: 'text', content })),
      ...texts.map((content) => api.post(ch, { contentType: 'text', content: `re ${content}` }, parent.id)),
    ]);
    const all = await api.allWithReplies(ch);
    const replyList = await api.replies(ch, parent.id);
    const log = (await admin('GET', 'requests')).requests as LoggedRequest[];
    expect(log.filter((r) => r.status === 429)).toEqual([]);
    const byId = (a: { id: string }, b: { id: string }) => Number(a.id) - Number(b.id);
    const top = all.filter((m) => !m.replyToId && m.id !== parent.id).sort(byId).map((m) => m.body?.content);
    expect(top).toEqual(texts);
    const replies = (replyList ?? []).filter((m) => m.id !== parent.id).sort(byId).map((m) => m.body?.content);
    expect(replies).toEqual(texts.map((t) => `re ${t}`));
    const channelRequests = log.filter((r) => r.path.includes('/channels/'));
    const posts = channelRequests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(41);
    expect(busiestWindow(channelRequests, 1000)).toBeLessThanOrEqual(4);
    expect(busiestWindow(posts, 1000)).toBeLessThanOrEqual(2);
    const spanSeconds = (Date.parse(posts[posts.length - 1].receivedAt) - Date.parse(posts[0].receivedAt)) / 1000;
    console.log(`teams: 41 posts over ${spanSeconds.toFixed(1)} s = ${((40 / spanSeconds / 2) * 100).toFixed(0)}% of 2 posts/s per tenant; `
      + `closest three ${closestApart(posts, 2)} ms apart`);
  });
});

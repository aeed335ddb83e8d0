import { startSandbox, type RunningSandbox } from '../../sandboxes/kit';
import type { LoggedRequest } from '../../sandboxes/kit/request-log';
import { slackSandbox } from '../../sandboxes/slack';
import { teamsSandbox } from '../../sandboxes/teams';
import { postedOrder } from '../../activities/bridge';
import { slackChannelMessages, teamsChannelMessages, type BridgedMessage } from '../helpers/bridged-messages';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// The Slack <-> Teams bridge (REST API, its workflow on Temporal, Postgres) with both sandboxes
// enforcing the documented limits (Slack: chat.postMessage 1 per second per channel and every
// method's tier; Teams: 4 requests per second per channel, 2 posts per second per tenant) and both
// connections declaring their connectors' limits (the budget paces them). People post with their own
// apps, seeded at the systems (their requests are not the bridge app's, so they count in no limit of
// its): 24 messages each way (8 roots, 2 replies to each) arrive at once. Every one is copied once, roots in
// the order posted and each thread's replies in theirs, into their parents' copies, and neither
// sandbox ever answered 429. With pacing off (connections declaring `rateLimits: []`) the bridge's
// posts burst into both limits: the sandboxes answer 429 and this test fails.

jest.setTimeout(300_000);

const SLACK_CHANNEL = 'C0PACEBRID';
const TEAM = '5e1f0000-aaaa-4bbb-8ccc-000000000ace';
const TEAMS_CHANNEL = '19:pacedbridge@thread.tacv2';
/**
 * 8 threads of 3 messages a side: with the bridge's copies, 16 threads in each channel, within the 20
 * the Teams capture follows for replies (src/connectors/teams/source.ts MAX_FOLLOWED_THREADS).
 */
const ROOTS = 8;
const REPLIES_PER_ROOT = 2;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, state: () => Promise<unknown>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await state())}`);
}

describe('the Slack <-> Teams bridge under the systems\' enforced limits', () => {
  let h: LoadHarness;
  let teams: RunningSandbox;
  let teamsConnectionId: string;

  beforeAll(async () => {
    const slack = await startSandbox(slackSandbox({ postMessageLimit: true, methodTiers: true }));
    h = await startLoadHarness('slack', { external: slack, rateLimits: null });
    teams = await startSandbox(teamsSandbox({ throttle: true }));
    const { credentials, config } = (await (await fetch(`${teams.url}/__sandbox/credentials`)).json()) as any;
    const created = await h.api('POST', '/v1/connections', { connector: 'teams', name: 'teams-paced', credentials, config });
    expect(created.status).toBe(201);
    teamsConnectionId = created.body.id;
    await h.admin('POST', 'seed', { objects: { channels: [{ id: SLACK_CHANNEL, name: 'paced' }] } });
    await teamsAdmin('seed', { objects: { teams: [{ id: TEAM }], channels: [{ id: TEAMS_CHANNEL, teamId: TEAM }] } });
  });
  afterAll(async () => {
    await teams?.stop();
    await h?.stop();
  });

  async function teamsAdmin(path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${teams.url}/__sandbox/${path}`, body === undefined ? {} : {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return res.json();
  }
  /** A person's message, posted by their own app (seeded): its id. */
  async function personPosts(side: 'slack' | 'teams', text: string, parent: string | null): Promise<string> {
    if (side === 'slack') {
      const seeded = await h.admin('POST', 'seed', { objects: { messages: [{ channel: SLACK_CHANNEL, user: 'U0PERSON01', text, ...(parent ? { thread_ts: parent } : {}) }] } });
      return (seeded.body.objects.messages as Array<{ ts: string }>)[0].ts;
    }
    const seeded = await teamsAdmin('seed', { objects: { messages: [{ teamId: TEAM, channelId: TEAMS_CHANNEL, content: text, replyToId: parent }] } });
    return (seeded.objects.messages as Array<{ id: string }>)[0].id;
  }
  const slackMessages = () => slackChannelMessages(h.sandbox.url, SLACK_CHANNEL);
  const teamsMessages = () => teamsChannelMessages(teams.url);

  const refused = (log: LoggedRequest[]) => log.filter((r) => r.status === 429).map((r) => `${r.method} ${r.path}`);

  /** 8 roots with 2 replies each, interleaved: root i, then a reply to each of the two roots before it. */
  async function conversation(side: 'slack' | 'teams'): Promise<BridgedMessage[]> {
    const posted: BridgedMessage[] = [];
    const roots: string[] = [];
    for (let i = 0; i < ROOTS + REPLIES_PER_ROOT; i += 1) {
      if (i < ROOTS) {
        const text = `${side} root ${i}`;
        roots.push(await personPosts(side, text, null));
        posted.push({ id: roots[i], text, parent: null, origin: null });
      }
      for (let back = 1; back <= REPLIES_PER_ROOT; back += 1) {
        const root = i - back;
        if (root < 0 || root >= ROOTS) continue;
        const text = `${side} reply ${back} to root ${root}`;
        posted.push({ id: await personPosts(side, text, roots[root]), text, parent: roots[root], origin: null });
      }
    }
    return posted;
  }

  /** Each origin copied once, roots in posted order, each thread's replies in theirs, into the parent's copy. */
  function expectCopied(origins: BridgedMessage[], from: 'slack' | 'teams', copies: BridgedMessage[]): void {
    const copyOf = new Map(copies.map((c) => [c.origin, c]));
    expect(copies.map((c) => c.origin).sort()).toEqual(origins.map((o) => `${from}:${o.id}`).sort());
    const inOrder = (list: BridgedMessage[]) => [...list].sort((a, b) => postedOrder(a.id, b.id));
    const originOf = (copy: BridgedMessage) => copy.origin!.slice(from.length + 1);
    expect(inOrder(copies.filter((c) => !c.parent)).map(originOf)).toEqual(origins.filter((o) => !o.parent).map((o) => o.id));
    for (const root of origins.filter((o) => !o.parent)) {
      const replies = origins.filter((o) => o.parent === root.id);
      const rootCopy = copyOf.get(`${from}:${root.id}`)!;
      expect(inOrder(copies.filter((c) => c.parent === rootCopy.id)).map(originOf)).toEqual(replies.map((r) => r.id));
    }
  }

  it('copies 24 messages each way, once, in order and in their threads, and neither system answers 429', async () => {
    const started = Date.now();
    const created = await h.api('POST', '/v1/bridges', {
      slackConnectionId: h.connectionId, slackChannel: SLACK_CHANNEL, teamsConnectionId, teamsChannel: `${TEAM}/${TEAMS_CHANNEL}`, intervalSeconds: 1,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const bridge = async () => (await h.api('GET', `/v1/bridges/${id}`)).body;
    try {
      // The bridge copies what is posted once it runs: wait for its first syncs of both sides.
      await waitFor('the first syncs', async () => ((await bridge()).polls as number) >= 2, bridge);
      const fromSlack = await conversation('slack');
      const fromTeams = await conversation('teams');
      expect([fromSlack.length, fromTeams.length]).toEqual([24, 24]);

      const copiesIn = async (side: 'slack' | 'teams', from: 'slack' | 'teams') =>
        (await (side === 'slack' ? slackMessages() : teamsMessages())).filter((m) => m.origin?.startsWith(`${from}:`));
      await waitFor('every copy', async () => (await copiesIn('teams', 'slack')).length >= fromSlack.length
        && (await copiesIn('slack', 'teams')).length >= fromTeams.length, async () => ({
        bridge: await bridge(), inTeams: (await copiesIn('teams', 'slack')).length, inSlack: (await copiesIn('slack', 'teams')).length,
      }));
      const copied = Date.now();
      // A few more syncs: nothing copied twice, nothing echoed.
      const polls = (await bridge()).polls as number;
      await waitFor('four more syncs', async () => ((await bridge()).polls as number) >= polls + 4, bridge);

      const slackNow = await slackMessages();
      const teamsNow = await teamsMessages();
      expectCopied(fromSlack, 'slack', teamsNow.filter((m) => m.origin));
      expectCopied(fromTeams, 'teams', slackNow.filter((m) => m.origin));
      expect(slackNow.filter((m) => !m.origin)).toHaveLength(fromSlack.length);
      expect(teamsNow.filter((m) => !m.origin)).toHaveLength(fromTeams.length);

      const slackLog = (await h.admin('GET', 'requests')).body.requests as LoggedRequest[];
      const teamsLog = (await teamsAdmin('requests')).requests as LoggedRequest[];
      expect({ slack: refused(slackLog), teams: refused(teamsLog) }).toEqual({ slack: [], teams: [] });
      const view = await bridge();
      expect(view.copies).toMatchObject({ copied: fromSlack.length + fromTeams.length, failed: 0 });
      const slackPosts = slackLog.filter((r) => r.path === '/api/chat.postMessage').length;
      const teamsPosts = teamsLog.filter((r) => r.method === 'POST' && r.path.includes('/messages')).length;
      console.log(`bridge under enforced limits: ${fromSlack.length} + ${fromTeams.length} messages copied in ${((copied - started) / 1000).toFixed(1)} s `
        + `(Slack: ${slackLog.length} requests, ${slackPosts} posts; Teams: ${teamsLog.length} requests, ${teamsPosts} posts; 0 answered 429)`);
    } finally {
      await h.api('DELETE', `/v1/bridges/${id}`);
    }
  });
});

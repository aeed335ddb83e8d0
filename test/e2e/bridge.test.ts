import crypto from 'node:crypto';
import { createBridgeSync, type SyncResult } from '../../activities/bridge';
import { startSandbox, type RunningSandbox } from '../../sandboxes/kit';
import { slackSandbox } from '../../sandboxes/slack';
import { teamsSandbox } from '../../sandboxes/teams';
import type { GraphMessage } from '../../src/connectors/teams/graph-api';
import { createCredentialStore } from '../../src/platform/credentials';
import { createPool } from '../../src/platform/db/pool';
import { workflowIds } from '../../src/platform/temporal';
import { slackChannelMessages, teamsChannelMessages } from '../helpers/bridged-messages';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// A Slack channel and a Teams channel bridged through POST /v1/bridges, end to end: REST API, the
// bridge workflow on Temporal, Postgres, both sandboxes. Each message is copied once, edits and
// deletes follow, replies land in the copied thread, nothing comes back, and stop stops. People
// post with their own tokens (a Slack user token, a Teams client session): the bridge's own posts are
// the ones its connections' identities made.

const slackToken = `xoxp-person-${crypto.randomBytes(8).toString('hex')}`;
const graphToken = `person-${crypto.randomBytes(8).toString('hex')}`;

const SLACK_CHANNEL = 'C0BRIDGE01';
const TEAM = '5e1f0000-aaaa-4bbb-8ccc-00000000b41d';
const TEAMS_CHANNEL = '19:bridge0001@thread.tacv2';
const M = `/v1.0/teams/${TEAM}/channels/${encodeURIComponent(TEAMS_CHANNEL)}/messages`;

jest.setTimeout(120_000);

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    last = value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

describe('a Slack <-> Teams bridge through the REST API and its workflow', () => {
  let h: LoadHarness;
  let teams: RunningSandbox;
  let teamsConnectionId: string;

  beforeAll(async () => {
    h = await startLoadHarness('slack', { external: await startSandbox(slackSandbox({ people: { [slackToken]: 'U0PERSON01' } })) });
    teams = await startSandbox(teamsSandbox({ people: { [graphToken]: '0c7e1e55-0000-4000-8000-00000000b41e' } }));
    const { credentials, config } = (await (await fetch(`${teams.url}/__sandbox/credentials`)).json()) as any;
    const created = await h.api('POST', '/v1/connections', { connector: 'teams', name: 'teams-sandbox', credentials, config });
    expect(created.status).toBe(201);
    teamsConnectionId = created.body.id;
    await h.admin('POST', 'seed', { objects: { channels: [{ id: SLACK_CHANNEL, name: 'bridge' }] } });
    await fetch(`${teams.url}/__sandbox/seed`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objects: { teams: [{ id: TEAM }], channels: [{ id: TEAMS_CHANNEL, teamId: TEAM }] } }),
    });
  });
  afterAll(async () => {
    await teams?.stop();
    await h?.stop();
  });

  async function slack(method: string, args: Record<string, unknown>): Promise<any> {
    const res = await fetch(`${h.sandbox.url}/api/${method}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${slackToken}` }, body: JSON.stringify({ channel: SLACK_CHANNEL, ...args }),
    });
    const body: any = await res.json();
    expect(body.ok).toBe(true);
    return body;
  }
  async function graph(method: string, path: string, content?: string): Promise<any> {
    const res = await fetch(`${teams.url}${M}${path}`, {
      method, headers: { authorization: `Bearer ${graphToken}`, ...(content !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: content !== undefined ? JSON.stringify({ body: { contentType: 'text', content } }) : undefined,
    });
    expect(res.status).toBeLessThan(300);
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  }
  /** A Slack -> Teams sync run as the worker would run it, here and now. */
  async function lateSync(bridgeId: string): Promise<SyncResult> {
    const pool = createPool(h.config.DATABASE_URL);
    try {
      return await createBridgeSync({ pool, credentials: createCredentialStore(h.config, pool) }).syncSide(bridgeId, 'slack');
    } finally {
      await pool.end();
    }
  }
  const slackMessages = () => slackChannelMessages(h.sandbox.url, SLACK_CHANNEL);
  const teamsMessages = () => teamsChannelMessages(teams.url);

  it('copies each message once both ways, follows edits, deletes and threads, and stops', async () => {
    const bad = await h.api('POST', '/v1/bridges', { slackConnectionId: teamsConnectionId, slackChannel: 'not a channel', teamsConnectionId, teamsChannel: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field).sort()).toEqual(['slackChannel', 'teamsChannel']);

    const created = await h.api('POST', '/v1/bridges', {
      slackConnectionId: h.connectionId, slackChannel: SLACK_CHANNEL, teamsConnectionId, teamsChannel: `${TEAM}/${TEAMS_CHANNEL}`, intervalSeconds: 1,
      options: { pollsPerRun: 6 }, // continue-as-new every three rounds: the bridge carries on across runs
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    try {
      expect((await h.api('POST', '/v1/bridges', {
        slackConnectionId: h.connectionId, slackChannel: SLACK_CHANNEL, teamsConnectionId, teamsChannel: `${TEAM}/${TEAMS_CHANNEL}`,
      })).status).toBe(409);

      const fromSlack = await slack('chat.postMessage', { text: 'hello from slack' });
      const fromTeams = await graph('POST', '', 'hello from teams');
      const copyInTeams = await waitFor('the Slack post in Teams', async () => (await teamsMessages()).find((m) => m.origin === `slack:${fromSlack.ts}`));
      const copyInSlack = await waitFor('the Teams post in Slack', async () => (await slackMessages()).find((m) => m.origin === `teams:${fromTeams.id}`));
      expect(copyInTeams.text).toBe('hello from slack');
      expect(copyInSlack.text).toBe('hello from teams');

      // Replies: on Teams to the copy of the Slack post; on Slack to the copy of the Teams post.
      const teamsReply = await graph('POST', `/${copyInTeams.id}/replies`, 'a teams reply');
      const slackReply = await slack('chat.postMessage', { text: 'a slack reply', thread_ts: copyInSlack.id });
      const replyInSlack = await waitFor('the Teams reply in Slack', async () => (await slackMessages()).find((m) => m.origin === `teams:${teamsReply.id}`));
      const replyInTeams = await waitFor('the Slack reply in Teams', async () => (await teamsMessages()).find((m) => m.origin === `slack:${slackReply.ts}`));
      expect(replyInSlack.parent).toBe(fromSlack.ts);
      expect(replyInTeams.parent).toBe(fromTeams.id);

      // A file shared in Teams (a reference attachment, placed in the body) arrives as a link with its name.
      const file = { id: '153fa47d-18c9-4179-be08-9879815a9f90', contentType: 'reference', name: 'Budget.docx', contentUrl: 'https://contoso.sharepoint.com/sites/t/Shared%20Documents/Budget.docx' };
      const shared = await fetch(`${teams.url}${M}`, {
        method: 'POST', headers: { authorization: `Bearer ${graphToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: { contentType: 'html', content: `the budget <attachment id="${file.id}"></attachment>` }, attachments: [file] }),
      });
      expect(shared.status).toBe(201);
      const withFile = (await shared.json()) as GraphMessage;
      expect(withFile.attachments).toEqual([expect.objectContaining({ id: file.id, name: 'Budget.docx', contentUrl: file.contentUrl })]);
      const fileInSlack = await waitFor('the shared file in Slack', async () => (await slackMessages()).find((m) => m.origin === `teams:${withFile.id}`));
      expect(fileInSlack.text).toBe(`the budget\n📎 <${file.contentUrl}|Budget.docx>`);
      await graph('POST', `/${withFile.id}/softDelete`);
      await waitFor('the shared file deleted in Slack', async () => !(await slackMessages()).some((m) => m.id === fileInSlack.id));

      // And a file shared in Slack (files[] with its permalink, docs.slack.dev/reference/objects/file-object) arrives in Teams as a link.
      const permalink = 'https://acme.slack.com/files/U0PERSON01/F0ABCDEF12/q3.pdf';
      const seeded = await fetch(`${h.sandbox.url}/__sandbox/seed`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ objects: { messages: [{ channel: SLACK_CHANNEL, user: 'U0PERSON01', text: 'the figures', files: [{ id: 'F0ABCDEF12', name: 'q3.pdf', permalink }] }] } }),
      });
      expect(seeded.status).toBe(200);
      const slackFile = ((await seeded.json()) as { objects: { messages: Array<{ ts: string }> } }).objects.messages[0];
      const fileInTeams = await waitFor('the Slack file in Teams', async () => (await teamsMessages()).find((m) => m.origin === `slack:${slackFile.ts}`));
      expect(fileInTeams.text).toBe(`the figures<br>📎 <a href="${permalink}">q3.pdf</a>`);
      await slack('chat.delete', { ts: slackFile.ts });
      await waitFor('the Slack file deleted in Teams', async () => !(await teamsMessages()).some((m) => m.id === fileInTeams.id));

      // An edit (with formatting: Slack mrkdwn arrives as Teams HTML) and a delete follow.
      await slack('chat.update', { ts: fromSlack.ts, text: 'hello from *slack*, <https://example.com/e|edited>' });
      await slack('chat.delete', { ts: slackReply.ts });
      await waitFor('the edit in Teams', async () => (await teamsMessages()).find((m) => m.id === copyInTeams.id
        && m.text === 'hello from <b>slack</b>, <a href="https://example.com/e">edited</a>'));
      await graph('PATCH', `/${fromTeams.id}`, 'hello from teams, edited');
      await graph('POST', `/${copyInTeams.id}/replies/${teamsReply.id}/softDelete`);
      await waitFor('the Teams edit in Slack', async () => (await slackMessages()).find((m) => m.id === copyInSlack.id && m.text === 'hello from teams, edited'));
      await waitFor('the Teams reply deleted in Slack', async () => !(await slackMessages()).some((m) => m.id === replyInSlack.id));

      // Quiet for a few more syncs: every message once, nothing echoed.
      const polls = (await h.api('GET', `/v1/bridges/${id}`)).body.polls as number;
      await waitFor('four more syncs', async () => ((await h.api('GET', `/v1/bridges/${id}`)).body.polls as number) >= polls + 4);
      const s = await slackMessages();
      const t = await teamsMessages();
      expect(s.map((m) => `${m.text}|${m.origin ?? ''}`).sort()).toEqual([
        'hello from *slack*, <https://example.com/e|edited>|', `hello from teams, edited|teams:${fromTeams.id}`,
      ].sort());
      expect(t.map((m) => `${m.text}|${m.origin ?? ''}`).sort()).toEqual([
        'hello from teams, edited|', `hello from <b>slack</b>, <a href="https://example.com/e">edited</a>|slack:${fromSlack.ts}`,
      ].sort());

      const view = (await h.api('GET', `/v1/bridges/${id}`)).body;
      expect(view).toMatchObject({ id, status: 'running', slackChannel: SLACK_CHANNEL, teamsChannel: `${TEAM}/${TEAMS_CHANNEL}` });
      expect(view.copies).toMatchObject({ copied: 2, deleted: 4, reserved: 0, failed: 0 });
      expect(view.runs).toBeGreaterThan(1);
      // Per direction: what was copied (Slack: 3 posts, an edit, 2 deletes; Teams: 3 posts, an edit, 2 deletes), when, how
      // long after it happened, and no error so far.
      for (const [direction, copied] of [['slackToTeams', 6], ['teamsToSlack', 6]] as const) {
        const d = view.directions[direction];
        expect({ direction, copied: d.copied, lastError: d.lastError }).toEqual({ direction, copied, lastError: null });
        expect(Date.parse(d.lastCopyAt)).toBeGreaterThanOrEqual(Date.parse(view.createdAt));
        expect(d.lagSeconds).toBeGreaterThanOrEqual(0);
      }

      // A permanent failure (the Slack token revoked) pauses the bridge with its reason.
      await h.admin('POST', 'faults', { faults: [{ path: '/api/*', status: 401 }] });
      const paused = await waitFor('the pause', async () => {
        const b = (await h.api('GET', `/v1/bridges/${id}`)).body;
        return b.status === 'paused' && b;
      });
      expect(paused.lastError).toMatchObject({ kind: 'permanent' });
      const failedWay = paused.lastError.side === 'slack' ? 'slackToTeams' : 'teamsToSlack';
      expect(paused.directions[failedWay].lastError).toMatchObject({ kind: 'permanent', message: paused.lastError.message });
      await h.admin('POST', 'reset');
      await h.admin('POST', 'seed', { objects: { channels: [{ id: SLACK_CHANNEL, name: 'bridge' }] } });

      // Stop (also from a pause): nothing is copied any more.
      expect((await h.api('DELETE', `/v1/bridges/${id}`)).status).toBe(204);
      expect((await h.api('GET', `/v1/bridges/${id}`)).body.status).toBe('stopped');
      const handle = h.temporal.workflow.getHandle(workflowIds.bridge(h.tenantId, id));
      await handle.result();
      // Nothing is left that could copy a later post: no run of the workflow goes on (the last one
      // completed), and a sync that would still run (an attempt a worker had under way) finds the
      // bridge stopped and copies nothing. Shown, rather than waited for.
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      await slack('chat.postMessage', { text: 'after the stop' });
      expect(await lateSync(id)).toMatchObject({ stopped: true, applied: 0 });
      expect((await teamsMessages()).some((m) => m.text === 'after the stop')).toBe(false);
      expect((await h.api('DELETE', `/v1/bridges/${id}`)).status).toBe(204);
    } finally {
      await h.api('DELETE', `/v1/bridges/${id}`);
    }
  });
});

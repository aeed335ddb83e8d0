import crypto from 'node:crypto';
import type { Pool } from 'pg';
import { createBridgeSync } from '../../activities/bridge';
import { toRecord as slackRecord } from '../../src/connectors/slack/records';
import type { SlackMessage } from '../../src/connectors/slack/slack-api';
import { createCredentialStore } from '../../src/platform/credentials';
import { createPool } from '../../src/platform/db/pool';
import { BridgesRepository } from '../../src/platform/db/repositories/bridges';
import { isConnectorError } from '../../src/platform/errors';
import { startSandbox, type RunningSandbox } from '../../sandboxes/kit';
import { slackSandbox } from '../../sandboxes/slack';
import { teamsSandbox } from '../../sandboxes/teams';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';

// The bridge into a Slack app under the 2025 limits for non-Marketplace apps (conversations.history
// and .replies: 1 call a minute, 15 a page). A sync that crashed after posting (the copies' ids lost,
// their rows left reserved, the cursor moved back) must find those copies where they can only be —
// posted since the reservation, in the parent's copy's thread — and never by reading the channel.

jest.setTimeout(120_000);

const TEAM = 'a1b2c3d4-0000-4000-8000-0000000b2025';
const PERSON_TOKEN = `person-${crypto.randomBytes(8).toString('hex')}`;

describe('the bridge under Slack\'s 2025 limits', () => {
  let h: LoadHarness;
  let slack: RunningSandbox;
  let teams: RunningSandbox;
  let pool: Pool;
  let teamsConnectionId: string;

  beforeAll(async () => {
    slack = await startSandbox(slackSandbox({ appDistribution: 'non-marketplace-2025' }));
    h = await startLoadHarness('slack', { worker: false, external: slack });
    pool = createPool(h.config.DATABASE_URL);
    teams = await startSandbox(teamsSandbox({ people: { [PERSON_TOKEN]: '0c7e1e55-0000-4000-8000-0000000b2025' } }));
    const { credentials, config } = (await (await fetch(`${teams.url}/__sandbox/credentials`)).json()) as any;
    const created = await h.api('POST', '/v1/connections', { connector: 'teams', name: 'teams-2025', credentials, config });
    expect(created.status).toBe(201);
    teamsConnectionId = created.body.id;
  });
  afterAll(async () => {
    await pool?.end();
    await teams?.stop();
    if (h) await h.stop(); // stops the Slack sandbox handed to it
    else await slack?.stop();
  });

  it('a sync that crashed after posting ends with exactly one copy of each message, found without reading the channel', async () => {
    const slackChannel = `C${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    const teamsChannel = `19:${crypto.randomBytes(4).toString('hex')}@thread.tacv2`;
    await h.admin('POST', 'seed', { objects: { channels: [{ id: slackChannel, name: 'bridge' }] } });
    for (let i = 0; i < 20; i += 1) { // a channel with history: a whole-channel read would take pages
      await h.admin('POST', 'seed', { objects: { messages: [{ channel: slackChannel, text: `older ${i}`, ts: `1700000${String(i).padStart(3, '0')}.000100` }] } });
    }
    await fetch(`${teams.url}/__sandbox/seed`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objects: { teams: [{ id: TEAM }], channels: [{ id: teamsChannel, teamId: TEAM }] } }),
    });
    const M = `${teams.url}/v1.0/teams/${TEAM}/channels/${encodeURIComponent(teamsChannel)}/messages`;
    const post = async (path: string, content: string): Promise<string> => {
      const res = await fetch(`${M}${path}`, {
        method: 'POST', headers: { authorization: `Bearer ${PERSON_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: { contentType: 'text', content } }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const roots = [await post('', 'first'), await post('', 'second')];
    const reply = await post(`/${roots[0]}/replies`, 'a reply to first');

    const bridgeId = `br_${crypto.randomBytes(8).toString('hex')}`;
    const repo = new BridgesRepository(pool);
    await repo.insert({ id: bridgeId, tenantId: h.tenantId, slackConnectionId: h.connectionId, slackChannel, teamsConnectionId, teamsChannel: `${TEAM}/${teamsChannel}`, intervalSeconds: 1 });
    const sync = createBridgeSync({ pool, credentials: createCredentialStore(h.config, pool) });
    /** A sync retried as the activity would: after a 429's Retry-After, which the Slack sandbox's clock skips. */
    const syncTeams = async () => {
      for (let attempt = 1; attempt <= 20; attempt += 1) {
        try {
          return await sync.syncSide(bridgeId, 'teams');
        } catch (err) {
          if (!isConnectorError(err) || err.status !== 429) throw err;
          await h.admin('POST', 'clock', { advanceMs: (err.retryAfterMs ?? 60_000) + 1000 });
        }
      }
      throw new Error('the sync did not finish in 20 attempts');
    };

    // The crash: the copies are posted, then their ids lost and the cursor moved back.
    const before = (await repo.find(bridgeId))!.cursors.teams;
    expect((await syncTeams()).applied).toBe(3);
    await pool.query(`UPDATE bridge_copies SET copy_id = NULL, state = 'reserved', applied_at = NULL, applied_version = NULL WHERE bridge_id = $1`, [bridgeId]);
    await pool.query('UPDATE bridges SET teams_cursor = $2::jsonb, teams_cursor_version = teams_cursor_version + 1 WHERE id = $1', [bridgeId, JSON.stringify(before ?? null)]);
    await h.admin('DELETE', 'requests');

    await syncTeams();
    await syncTeams(); // quiet: nothing left to do

    const messages = ((await h.admin('GET', 'state')).body.objects.messages as Array<SlackMessage & { channel: string }>)
      .filter((m) => m.channel === slackChannel).map((m) => ({ ...m, forge_origin: slackRecord(m).forge_origin })).filter((m) => m.forge_origin);
    const origins = messages.map((m) => m.forge_origin).sort();
    expect(origins).toEqual([`teams:${roots[0]}`, `teams:${roots[1]}`, `teams:${reply}`].sort()); // one copy each
    const parentCopy = messages.find((m) => m.forge_origin === `teams:${roots[0]}`)!;
    expect(messages.find((m) => m.forge_origin === `teams:${reply}`)!.thread_ts).toBe(parentCopy.ts);
    const rows = await repo.copies(bridgeId);
    expect(rows.map((r) => [r.state, r.copyId !== null])).toEqual([['copied', true], ['copied', true], ['copied', true]]);

    // The copies were found in the window since their reservation, never by reading the whole channel.
    const reads = ((await h.admin('GET', 'requests')).body.requests as Array<{ path: string; status: number; query: string }>)
      .filter((r) => r.path === '/api/conversations.history' || r.path === '/api/conversations.replies');
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) expect(new URLSearchParams(r.query).get('oldest')).toEqual(expect.stringMatching(/^\d+\.\d{6}$/));
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { liveRecords, startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { answerConsent, openCallback } from '../helpers/consent-page';
import { cleanEnv, connectWith, forge, tempDir, type ForgeRun } from './forge-process';

// The done-when: HubSpot connected through its sandbox's consent page while `forge connect`
// waits, then the CLI loads a 10,000-row CSV into that connection with a dry run, a run and a
// rollback, the sandbox's state checked through its admin API after each.
const SYSTEM_STAMPS = ['lastmodifieddate', 'hs_lastmodifieddate'];
const ROWS = 10_000;
const EXISTING = 100;

describe('forge load / rollback: a 10,000-row CSV end to end', () => {
  let h: LoadHarness;
  let tmp: ReturnType<typeof tempDir>;
  let env: NodeJS.ProcessEnv;
  const runs: ForgeRun[] = [];
  const run = async (args: string[]) => {
    const r = await forge(args, env);
    runs.push(r);
    return r;
  };

  beforeAll(async () => {
    h = await startLoadHarness('hubspot', { oauthClient: true });
    tmp = tempDir();
    env = cleanEnv({ FORGE_URL: h.gatewayUrl, FORGE_API_KEY: h.apiKey, FORGE_CONFIG: path.join(tmp.dir, 'absent.json') });
  });
  afterAll(async () => {
    tmp?.cleanup();
    await h?.stop();
  });

  it('connects by consent, plans with --dry-run, writes with --yes, and rolls back to the state before', async () => {
    const sandboxConfig = (await h.admin('GET', 'credentials')).body.config as Record<string, unknown>;
    const connect = await connectWith(['hubspot', '--name', 'hubspot-by-consent', '--interval', '0.2',
      ...Object.entries(sandboxConfig).flatMap(([k, v]) => ['--config', `${k}=${String(v)}`])], env, async (url) => {
      expect((await openCallback(await answerConsent(url, 'allow'))).status).toBe(200);
    });
    expect(connect.code).toBe(0);
    expect(connect.stdout).toMatch(/connected: cn_/);

    await h.admin('POST', 'seed', { objects: { contacts: Array.from({ length: EXISTING }, (_, i) => ({
      email: `row${i}@example.com`, firstname: `before${i}`, phone: `+1555${i}`,
    })) } });
    const before = await liveRecords(h, 'contacts', SYSTEM_STAMPS);
    expect(Object.keys(before)).toHaveLength(EXISTING);

    const csv = path.join(tmp.dir, 'contacts.csv');
    const out = fs.createWriteStream(csv);
    out.write('email,firstname,lastname,company\n');
    for (let i = 0; i < ROWS; i++) out.write(`row${i}@example.com,First${i},"Last, ${i}",Acme ${i % 7}\n`);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const target = [csv, '--connection', 'hubspot-by-consent', '--object', 'contacts', '--key', 'email'];

    // Dry run (human output): a plan, nothing written.
    const dry = await run(['load', ...target, '--dry-run']);
    expect(dry.stderr).not.toMatch(/forge:/);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/would create\s+9,900/);
    expect(dry.stdout).toMatch(/would update\s+100/);
    expect(await liveRecords(h, 'contacts', SYSTEM_STAMPS)).toEqual(before);

    // The run (--json, --yes): every row written and verified.
    const live = await run(['load', ...target, '--yes', '--json']);
    expect(live.code).toBe(0);
    const { load, failuresByField } = live.json();
    expect(load).toMatchObject({ status: 'completed', dryRun: false, counts: { total: ROWS, created: ROWS - EXISTING, updated: EXISTING, failed: 0, verified: ROWS } });
    expect(failuresByField).toEqual([]);
    const after = Object.values(await liveRecords(h, 'contacts', SYSTEM_STAMPS));
    expect(after).toHaveLength(ROWS);
    const byEmail = new Map(after.map((r) => [r.email, r]));
    for (const i of [0, 99, 100, 5_000, ROWS - 1]) {
      expect(byEmail.get(`row${i}@example.com`)).toMatchObject({ firstname: `First${i}`, lastname: `Last, ${i}`, company: `Acme ${i % 7}` });
    }
    expect(byEmail.get('row7@example.com')).toMatchObject({ phone: '+15557' }); // a column the file does not name is kept

    // The rollback (human output): the sandbox as it was.
    const rollback = await run(['rollback', load.id]);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain(`load ${load.id} rolled_back`);
    expect(await liveRecords(h, 'contacts', SYSTEM_STAMPS)).toEqual(before);

    const listed = await run(['loads', '--json']);
    expect(listed.json().loads.slice(0, 2).map((l: { id: string; status: string; dryRun: boolean }) => [l.status, l.dryRun]))
      .toEqual([['rolled_back', false], ['completed', true]]);

    for (const r of [...runs, connect]) {
      expect(r.stdout).not.toContain(h.apiKey);
      expect(r.stderr).not.toContain(h.apiKey);
    }
  }, 600_000);
});

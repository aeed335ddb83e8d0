/// <reference lib="dom" />
// page.evaluate() callbacks run in the page: they use the DOM.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, prepareBrowserTests, screenshot, unnamedControls, Witness } from './browser';
import { slackSandbox } from '../../sandboxes/slack';
import { teamsSandbox } from '../../sandboxes/teams';
import { startConsoleStack, type ConsoleStack } from './console-stack';

// The console end to end in Debian's headless Chromium, against the real gateway (serving the
// built console at /console), a real worker on the test stack's Temporal and Postgres, and the
// HubSpot, Slack and Teams sandboxes. One browser for the file; one context (one tab's session)
// per tenant; pages reused from test to test, in order, like a person working through the console.

const browserReady = prepareBrowserTests();
const suite = browserReady ? describe : describe.skip;

jest.setTimeout(180_000);

const SYSTEM_STAMPS = ['lastmodifieddate', 'hs_lastmodifieddate', 'createdate', 'hs_object_id', 'id', 'archived', 'archivedAt', 'createdAt', 'updatedAt'];
const UPSERT_PATH = '/crm/v3/objects/contacts/batch/upsert';
const CANARY = `canary-${crypto.randomBytes(12).toString('hex')}`;
const BEFORE = [
  { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace' },
  { email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper' },
  { email: 'alan@example.com', firstname: 'Alan', lastname: 'Turing' },
];
const RECORDS = 500;
const INVALID_AT = 321;
const SLACK_CHANNEL = 'C0CONSOLE1';
const TEAM = '5e1f0000-aaaa-4bbb-8ccc-00000000c0e5';
const TEAMS_CHANNEL = '19:console0001@thread.tacv2';
const SLACK_PERSON_TOKEN = `xoxp-person-${crypto.randomBytes(8).toString('hex')}`;
const TEAMS_PERSON_TOKEN = `person-${crypto.randomBytes(8).toString('hex')}`;

/** 500 contacts: Ada's first name changes, Grace stays as she is, 497 are new, one has an invalid lifecycle stage. */
function csv(): string {
  const lines = ['email,firstname,lastname,lifecyclestage'];
  lines.push('ada@example.com,Ada-Augusta,Lovelace,');
  lines.push('grace@example.com,Grace,Hopper,');
  for (let i = 2; i < RECORDS; i++) lines.push(`person-${i}@example.com,Person,${i},${i === INVALID_AT ? 'not-a-stage' : 'lead'}`);
  return `${lines.join('\n')}\n`;
}

/** A link of the console's main navigation. */
function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name, exact: true });
}

suite('the console in a real browser', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tenant: { id: string; apiKey: string };
  let sandboxCredentials: { credentials: Record<string, string>; config: Record<string, string> };
  let dryRunId: string;
  let loadId: string;
  const witness = new Witness();
  const pageTexts: string[] = [];
  const started = Date.now();
  const timings: Record<string, number> = {};

  /** The page's HTML as it is now, kept for the secret checks, and its controls checked for accessible names. */
  async function look(name: string, fullPage = true): Promise<void> {
    pageTexts.push(await page.content());
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, name, fullPage);
  }

  async function liveContacts(): Promise<Record<string, Record<string, unknown>>> {
    const state = await stack.admin('GET', 'state');
    const out: Record<string, Record<string, unknown>> = {};
    for (const rec of state.objects.contacts ?? []) {
      if (rec.archived) continue;
      const props = { ...(rec.properties ?? rec) };
      for (const f of SYSTEM_STAMPS) delete props[f];
      for (const [k, v] of Object.entries(props)) if (v === null || v === '' || v === undefined) delete props[k];
      out[String(props.email)] = props;
    }
    return out;
  }

  async function confirmDialog(action: string): Promise<void> {
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: action }).click();
  }

  beforeAll(async () => {
    const t0 = Date.now();
    // People post with their own tokens: the bridge ignores what its own bot or app posted.
    stack = await startConsoleStack(['hubspot', 'slack', 'teams'], {
      slack: () => slackSandbox({ people: { [SLACK_PERSON_TOKEN]: 'U0PERSON01' } }),
      teams: () => teamsSandbox({ people: { [TEAMS_PERSON_TOKEN]: '0c7e1e55-0000-4000-8000-00000000b41e' } }),
    });
    tenant = await stack.createTenant();
    sandboxCredentials = await stack.admin('GET', 'credentials');
    // HubSpot's search trails its writes by 10 s: run the sandbox's clock a minute behind so that
    // every change is old enough for the capture at once (as test/e2e/capture-hubspot does).
    await stack.admin('POST', 'clock', { at: new Date(Date.now() - 60_000).toISOString(), frozen: false });
    await stack.admin('POST', 'seed', { objects: { contacts: BEFORE } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    context.setDefaultTimeout(30_000);
    witness.watch(context);
    page = await context.newPage();
    timings.setup = Date.now() - t0;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    process.stdout.write(`[console tests] ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}; `
      + `total ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in test-output/console\n`);
  });

  // The steps build on each other: after a failure the rest stop at once instead of timing out one by one.
  let failedStep: string | null = null;
  async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (failedStep) throw new Error(`not run: the step "${failedStep}" failed`);
    const t0 = Date.now();
    try {
      return await fn();
    } catch (err) {
      failedStep = name;
      throw err;
    } finally {
      timings[name] = Date.now() - t0;
    }
  }

  it('refuses a wrong key, then signs in with the keyboard and keeps the key in sessionStorage only', () => timed('sign-in', async () => {
    await page.goto(`${stack.url}/console`);
    await page.getByLabel('API key', { exact: true }).fill('fw_not-a-real-key-0000000000000000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await page.getByText('This API key was not accepted.').waitFor();
    await look('sign-in-refused');

    await page.getByLabel('API key', { exact: true }).fill('');
    await page.getByLabel('API key', { exact: true }).focus();
    await page.keyboard.type(tenant.apiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();

    expect(await page.evaluate(() => window.sessionStorage.getItem('forgeworks.apiKey'))).toBe(tenant.apiKey);
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await context.cookies()).toEqual([]);
    expect(page.url()).not.toContain(tenant.apiKey);
  }));

  it('creates a connection from the form generated from the connector schemas, secrets masked, and tests it', () => timed('connections', async () => {
    const { credentials, config } = sandboxCredentials;
    await page.getByLabel('System', { exact: true }).selectOption('hubspot');
    await page.getByLabel('Connection name', { exact: true }).fill('crm-sandbox');
    // The form is generated from the credential and config schemas: one input per field.
    expect(await page.getByLabel('Client secret', { exact: true }).getAttribute('type')).toBe('password');
    expect(await page.getByLabel('Refresh token', { exact: true }).getAttribute('type')).toBe('password');
    expect(await page.getByLabel('Client ID', { exact: true }).getAttribute('type')).toBe('text');
    expect(await page.getByLabel('Base URL', { exact: true }).inputValue()).toBe('https://api.hubapi.com'); // the schema's default
    await page.getByLabel('Client ID', { exact: true }).fill(credentials.clientId);
    await page.getByLabel('Client secret', { exact: true }).fill(credentials.clientSecret);
    await page.getByLabel('Refresh token', { exact: true }).fill(credentials.refreshToken);
    await page.getByLabel('Base URL', { exact: true }).fill(config.baseUrl);
    await page.getByRole('button', { name: 'Create connection', exact: true }).click();
    await page.getByText('Connection "crm-sandbox" created').waitFor();
    // The secrets are gone from the form once sent, and never shown again.
    expect(await page.getByLabel('Client secret', { exact: true }).inputValue()).toBe('');
    await page.getByRole('rowheader', { name: 'crm-sandbox' }).waitFor();
    await page.getByRole('button', { name: 'Test crm-sandbox', exact: true }).click();
    await page.getByText('Credentials work').waitFor();

    // A canary typed into a credential field: the connection is created, its test fails, it is deleted.
    await page.getByLabel('Connection name', { exact: true }).fill('canary');
    await page.getByLabel('Client ID', { exact: true }).fill(credentials.clientId);
    await page.getByLabel('Client secret', { exact: true }).fill(CANARY);
    await page.getByLabel('Refresh token', { exact: true }).fill(`${CANARY}-refresh`);
    await page.getByLabel('Base URL', { exact: true }).fill(config.baseUrl);
    await page.getByRole('button', { name: 'Create connection', exact: true }).click();
    await page.getByText('Connection "canary" created').waitFor();
    await page.getByRole('button', { name: 'Test canary', exact: true }).click();
    await page.locator('.test-result .bad').waitFor();
    await page.getByText('HubSpot', { exact: true }).first().waitFor();
    await page.getByRole('group').first().waitFor();
    await page.locator('summary', { hasText: 'HubSpot' }).click();
    await page.getByText('HubSpot has no API to restore an archived contact').waitFor(); // the ObjectSpec's notes
    await look('connections');

    await page.getByRole('button', { name: 'Delete canary', exact: true }).click();
    await confirmDialog('Delete connection');
    await page.getByRole('rowheader', { name: 'canary' }).waitFor({ state: 'detached' });
    await page.getByRole('rowheader', { name: 'crm-sandbox' }).waitFor();
  }));

  it('dry-runs an uploaded CSV and shows the field-level diff before anything is written', () => timed('dry-run', async () => {
    await nav(page, 'Loads').click();
    await page.getByText('No loads yet').waitFor();
    await page.getByRole('link', { name: 'New load', exact: true }).first().click();
    await page.getByLabel('Connection', { exact: true }).selectOption({ label: 'crm-sandbox (hubspot)' });
    await page.getByLabel('Object', { exact: true }).selectOption('contacts');
    await page.getByLabel('Operation', { exact: true }).selectOption('upsert');
    await page.getByLabel('Natural key', { exact: true }).selectOption('email');
    await page.getByLabel('Records file (.csv with a header row, or .ndjson)', { exact: true }).setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv()) });
    await page.getByLabel('When a record fails', { exact: true }).selectOption('continue');
    await look('new-load');
    await page.getByRole('button', { name: 'Dry run', exact: true }).click();

    await page.waitForURL(/#\/loads\/ld_/);
    dryRunId = decodeURIComponent(page.url().split('#/loads/')[1]);
    await page.locator('.badge', { hasText: 'completed' }).waitFor();
    await page.getByText('100%', { exact: true }).waitFor();
    const counts = page.locator('dl.counts');
    await expect(counts.getByText('Would create').locator('..').locator('dd').textContent()).resolves.toBe(String(RECORDS - 2));
    await expect(counts.getByText('Would update').locator('..').locator('dd').textContent()).resolves.toBe('1');
    await expect(counts.getByText('Unchanged').locator('..').locator('dd').textContent()).resolves.toBe('1');

    const ada = page.getByRole('table', { name: 'Changes to ada@example.com' });
    const firstname = ada.getByRole('row', { name: /firstname/ });
    await expect(firstname.locator('td.before').textContent()).resolves.toBe('Ada');
    await expect(firstname.locator('td.after').textContent()).resolves.toBe('Ada-Augusta');
    await expect(page.locator('tr[data-record-key="grace@example.com"] .badge').textContent()).resolves.toBe('unchanged');
    // Nothing was written by the dry run.
    expect(await liveContacts()).toEqual(Object.fromEntries(BEFORE.map((c) => [c.email, c])));
    await look('load-review', false);
  }));

  it('runs the reviewed load: live progress to 100%, results by outcome with the failing field named, a Temporal link', () => timed('run', async () => {
    // Slow HubSpot's batch upserts so that progress is seen moving (4 segments run at once, then the 5th).
    await stack.admin('POST', 'faults', { faults: [{ method: 'POST', path: UPSERT_PATH, latencyMs: 1500 }] });
    await page.getByRole('button', { name: 'Run this load', exact: true }).click();
    await confirmDialog('Run load');
    await page.waitForURL((url) => url.hash.startsWith('#/loads/ld_') && !url.hash.includes(dryRunId));
    loadId = decodeURIComponent(page.url().split('#/loads/')[1]);

    const seen = new Set<number>();
    const bar = page.getByRole('progressbar', { name: 'Load progress' });
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      seen.add(Number(await bar.getAttribute('value')));
      if (await page.locator('.badge', { hasText: /^completed$/ }).count()) break;
      await page.waitForTimeout(100);
    }
    await page.locator('.badge', { hasText: /^completed$/ }).waitFor();
    await page.getByText('100%', { exact: true }).waitFor();
    seen.add(Number(await bar.getAttribute('value')));
    expect(seen.has(100)).toBe(true);
    expect([...seen].some((v) => v > 0 && v < 100)).toBe(true); // it moved while the load ran
    await stack.admin('POST', 'faults', { faults: [] });

    const link = page.getByRole('link', { name: 'Open this run in the Temporal Web UI', exact: true });
    expect(await link.getAttribute('href')).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(`load-${tenant.id}-${loadId}`)}`);
    expect(await page.getByRole('timer').textContent()).toMatch(/^Rollback window closes in 23:5\d:\d\d$/);

    await page.getByRole('tab', { name: 'Failed', exact: true }).click();
    const failed = page.locator('tr[data-record-key="person-321@example.com"]');
    await failed.waitFor();
    await expect(failed.locator('.field-name').textContent()).resolves.toBe('lifecyclestage');
    expect(await page.locator('table.records tbody tr').count()).toBe(1);
    await look('load-results-failed', false);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV', exact: true }).click()]);
    const exported = fs.readFileSync((await download.path())!, 'utf8');
    expect(exported.split('\r\n')[0]).toBe('index,key,status,id,error_fields,errors,plan_action,changes');
    expect(exported).toContain(`${INVALID_AT},person-321@example.com,failed,,lifecyclestage,`);

    await page.getByRole('tab', { name: 'Updated', exact: true }).click();
    await page.locator('tr[data-record-key="ada@example.com"]').waitFor();
    const live = await liveContacts();
    expect(live['ada@example.com'].firstname).toBe('Ada-Augusta');
    expect(Object.keys(live)).toHaveLength(RECORDS + 1 - 1); // 3 before + 497 new, less the invalid one
  }));

  it('rolls the load back inside its window, after a confirmation, and shows the before-state', () => timed('rollback', async () => {
    await page.getByRole('button', { name: 'Roll back', exact: true }).click();
    await confirmDialog('Roll back');
    await page.locator('.badge', { hasText: 'rolled back' }).waitFor({ timeout: 120_000 });
    const restored = page.locator('table.before-state');
    await restored.waitFor();
    const row = restored.getByRole('row', { name: /ada@example\.com firstname/ });
    await expect(row.locator('td.before').textContent()).resolves.toBe('Ada');
    await expect(row.locator('td.after').textContent()).resolves.toBe('Ada-Augusta');
    await page.getByText('497 records it created were deleted again; 1 record it changed has its values from before the load:').waitFor();
    // The before-state comes from the load's own snapshots: it is still there after a reload.
    await page.reload();
    await restored.getByRole('row', { name: /ada@example\.com firstname/ }).locator('td.before', { hasText: 'Ada' }).waitFor();
    await page.getByRole('tab', { name: 'Rolled back', exact: true }).click();
    await page.locator('tr[data-record-key="ada@example.com"] .badge', { hasText: 'rolled back' }).waitFor();
    expect(await liveContacts()).toEqual(Object.fromEntries(BEFORE.map((c) => [c.email, c])));
    await look('load-rolled-back', false);

    await nav(page, 'Loads').click();
    await page.getByRole('link', { name: loadId }).waitFor();
    await page.getByRole('link', { name: dryRunId }).waitFor();
    await look('loads');
  }));

  it('cancels a running load pasted as JSON, after a confirmation, and nothing it wrote stays', () => timed('cancel', async () => {
    const before = await liveContacts();
    const records = Array.from({ length: 1000 }, (_, i) => ({ email: `cancel-${i}@example.com`, firstname: 'Cancel', lastname: String(i) }));
    await page.getByRole('link', { name: 'New load', exact: true }).first().click();
    await page.getByLabel('Connection', { exact: true }).selectOption({ label: 'crm-sandbox (hubspot)' });
    await page.getByLabel('Object', { exact: true }).selectOption('contacts');
    await page.getByLabel('Operation', { exact: true }).selectOption('upsert');
    await page.getByLabel('Natural key', { exact: true }).selectOption('email');
    await page.getByLabel('Paste JSON', { exact: true }).check();
    await page.getByLabel('Records (JSON)', { exact: true }).fill(JSON.stringify(records));
    await page.getByRole('button', { name: 'Dry run', exact: true }).click();
    await page.waitForURL(/#\/loads\/ld_/);
    const cancelDryRun = decodeURIComponent(page.url().split('#/loads/')[1]);
    await page.locator('.badge', { hasText: 'completed' }).waitFor({ timeout: 60_000 });
    await expect(page.locator('dl.counts').getByText('Would create').locator('..').locator('dd').textContent()).resolves.toBe('1000');

    // Slow the writes so that the load is still running when it is cancelled.
    await stack.admin('POST', 'faults', { faults: [{ method: 'POST', path: UPSERT_PATH, latencyMs: 5000 }] });
    await page.getByRole('button', { name: 'Run this load', exact: true }).click();
    await confirmDialog('Run load');
    await page.waitForURL((url) => url.hash.startsWith('#/loads/ld_') && !url.hash.includes(cancelDryRun));
    await page.getByRole('button', { name: 'Cancel load', exact: true }).click();
    await confirmDialog('Cancel load');
    await stack.admin('POST', 'faults', { faults: [] });
    await page.locator('.badge', { hasText: /^cancelled$/ }).waitFor({ timeout: 120_000 });
    expect(await page.getByRole('button', { name: 'Roll back', exact: true }).count()).toBe(0);
    expect(await liveContacts()).toEqual(before);
    await page.getByRole('heading', { name: 'Before-state restored' }).waitFor();
    await page.getByText(/^\d+ records? it created (was|were) deleted again; 0 records it changed have/).waitFor();
    await look('load-cancelled', false);
  }));

  it('starts a capture, pauses, resumes and stops it, and follows and filters the Stream', () => timed('captures-stream', async () => {
    await nav(page, 'Captures').click();
    await page.getByText('No captures yet').waitFor();
    await page.getByLabel('Connection', { exact: true }).selectOption({ label: 'crm-sandbox (hubspot)' });
    await page.getByLabel('Object', { exact: true }).selectOption('contacts');
    await page.getByLabel('Poll every (seconds)', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Start capture', exact: true }).click();
    const row = page.locator('tbody tr').first();
    await row.locator('.badge', { hasText: 'running' }).waitFor();
    await page.waitForFunction(() => Number(document.querySelector('tbody tr td.num')?.textContent ?? '0') >= 3, undefined, { timeout: 60_000 });
    // Where the cursor stands: the time of the newest change captured.
    await row.locator('td.cursor-at', { hasText: /\d/ }).waitFor();
    await look('captures');

    await nav(page, 'Stream').click();
    await page.getByLabel('Connection', { exact: true }).selectOption({ label: 'crm-sandbox (hubspot)' });
    await page.getByRole('rowheader').first().waitFor();
    await page.getByLabel('Object', { exact: true }).selectOption('contacts');
    await page.getByLabel('Change', { exact: true }).selectOption('upsert');
    await page.waitForFunction(() => document.querySelectorAll('table.stream tbody tr').length >= 3);
    expect(await page.locator('table.stream tbody tr .badge', { hasText: 'delete' }).count()).toBe(0);
    await page.getByLabel('Record id contains', { exact: true }).fill('no-such-record');
    await page.getByText('No events match.').waitFor();
    await page.getByLabel('Record id contains', { exact: true }).fill('');
    await page.getByLabel('Follow (newest first, live)', { exact: true }).check();
    // A change made now arrives in the followed Stream without a reload.
    await stack.admin('POST', 'seed', { objects: { contacts: [{ email: 'followed@example.com', firstname: 'Followed', lastname: 'Live' }] } });
    const newest = page.locator('table.stream tbody tr').first();
    await newest.locator('pre', { hasText: 'followed@example.com' }).waitFor({ state: 'attached', timeout: 60_000 });
    await newest.locator('summary').click();
    await newest.getByText('"firstname": "Followed"').waitFor();
    await look('stream');

    await nav(page, 'Captures').click();
    const pause = page.getByRole('button', { name: /^Pause capture / });
    await pause.click();
    await page.locator('tbody tr .badge', { hasText: 'paused' }).waitFor();
    await page.getByRole('button', { name: /^Resume capture / }).click();
    await page.locator('tbody tr .badge', { hasText: 'running' }).waitFor();
    await page.getByRole('button', { name: /^Stop capture / }).click();
    await confirmDialog('Stop capture');
    await page.locator('tbody tr .badge', { hasText: 'stopped' }).waitFor();
  }));

  it('links a Slack and a Teams channel, shows messages copied each way, pauses, resumes and stops the bridge', () => timed('bridges', async () => {
    await nav(page, 'Bridges').click();
    await page.getByText('A bridge needs a Slack connection and a Teams connection').waitFor();
    await stack.admin('POST', 'seed', { objects: { channels: [{ id: SLACK_CHANNEL, name: 'console' }] } }, 'slack');
    await stack.admin('POST', 'seed', { objects: { teams: [{ id: TEAM }], channels: [{ id: TEAMS_CHANNEL, teamId: TEAM }] } }, 'teams');
    for (const system of ['slack', 'teams']) {
      const { credentials, config } = await stack.admin('GET', 'credentials', undefined, system);
      const res = await stack.api(tenant.apiKey, 'POST', '/v1/connections', { connector: system, name: `${system}-sandbox`, credentials, config });
      expect(res.status).toBe(201);
    }
    await page.reload();
    await page.getByLabel('Slack channel id', { exact: true }).fill(SLACK_CHANNEL);
    await page.getByLabel('Teams team id', { exact: true }).fill(TEAM);
    await page.getByLabel('Teams channel id', { exact: true }).fill(TEAMS_CHANNEL);
    await page.getByLabel('Sync every (seconds)', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Create bridge', exact: true }).click();
    await page.locator('tbody tr .badge', { hasText: 'running' }).waitFor();

    const posted = await fetch(`${stack.sandboxes.slack.url}/api/chat.postMessage`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${SLACK_PERSON_TOKEN}` },
      body: JSON.stringify({ channel: SLACK_CHANNEL, text: 'hello from slack' }),
    });
    expect(((await posted.json()) as { ok: boolean }).ok).toBe(true);
    await page.waitForFunction(() => document.querySelector('tbody tr td.num')?.textContent === '1', undefined, { timeout: 60_000 });

    // And the other way: a message a person posts in Teams (through Graph, with their own token).
    const postedInTeams = await fetch(`${stack.sandboxes.teams.url}/v1.0/teams/${TEAM}/channels/${encodeURIComponent(TEAMS_CHANNEL)}/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEAMS_PERSON_TOKEN}` },
      body: JSON.stringify({ body: { contentType: 'text', content: 'hello from teams' } }),
    });
    expect(postedInTeams.status).toBe(201);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr td.num')[1]?.textContent === '1', undefined, { timeout: 60_000 });
    await look('bridges');

    await page.getByRole('button', { name: /^Pause bridge / }).click();
    await page.locator('tbody tr .badge', { hasText: 'paused' }).waitFor();
    await page.getByRole('button', { name: /^Resume bridge / }).click();
    await page.locator('tbody tr .badge', { hasText: 'running' }).waitFor();
    await page.getByRole('button', { name: /^Stop bridge / }).click();
    await confirmDialog('Stop bridge');
    await page.locator('tbody tr .badge', { hasText: 'stopped' }).waitFor();
  }));

  it('fits a narrow window: nothing but the tables scrolls sideways', () => timed('narrow', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const pages = [[`#/loads/${loadId}`, 'narrow-load'], ['#/loads/new', 'narrow-new-load'], ['#/connections', 'narrow-connections'],
      ['#/captures', 'narrow-captures'], ['#/stream', 'narrow-stream'], ['#/bridges', 'narrow-bridges']] as const;
    for (const [hash, name] of pages) {
      await page.goto(`${stack.url}/console${hash}`);
      await page.locator('h1').first().waitFor();
      await page.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => {});
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await look(name);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }));

  it('works from the keyboard: sections by Tab and Enter, a confirmation that starts on its safe answer and Escape', () => timed('keyboard', async () => {
    await page.goto(`${stack.url}/console#/loads`);
    await page.reload(); // focus starts at the top of a freshly loaded page
    await page.getByRole('heading', { name: 'Loads', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Tab to the Connections section and open it with Enter.
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Connections'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete crm-sandbox', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep it');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Delete crm-sandbox', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Enter'); // on "Keep it"
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await stack.api(tenant.apiKey, 'GET', '/v1/connections')).body.connections.map((c: { name: string }) => c.name)).toContain('crm-sandbox');
  }));

  it('says when the gateway cannot be reached, and recovers with Retry', () => timed('offline', async () => {
    await nav(page, 'Connections').click();
    await page.getByRole('rowheader', { name: 'crm-sandbox' }).waitFor();
    await context.setOffline(true);
    try {
      await nav(page, 'Loads').click();
      const alert = page.getByRole('alert').filter({ hasText: 'The gateway could not be reached' });
      await alert.waitFor();
      await look('offline');
      await context.setOffline(false);
      await alert.getByRole('button', { name: 'Retry', exact: true }).click();
      await page.getByRole('link', { name: loadId }).waitFor();
      await alert.waitFor({ state: 'detached' });
    } finally {
      await context.setOffline(false);
    }
  }));

  it("shows another tenant's key none of this tenant's data", () => timed('isolation', async () => {
    const other = await stack.createTenant();
    const otherContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    witness.watch(otherContext);
    const tab = await otherContext.newPage();
    try {
      await tab.goto(`${stack.url}/console#/loads/${encodeURIComponent(loadId)}`);
      await tab.getByLabel('API key', { exact: true }).fill(other.apiKey);
      await tab.getByRole('button', { name: 'Sign in', exact: true }).click();
      await tab.getByText(`no load with id ${loadId}`).waitFor();
      await screenshot(tab, 'other-tenant-load');
      await nav(tab, 'Connections').click();
      await tab.getByText('No connections yet').waitFor();
      await nav(tab, 'Loads').click();
      await tab.getByText('No loads yet').waitFor();
      await nav(tab, 'Captures').click();
      await tab.getByText('No captures yet').waitFor();
      await nav(tab, 'Bridges').click();
      await tab.getByText('No bridges yet').waitFor();
      const html = await tab.content();
      for (const value of [loadId, dryRunId, 'crm-sandbox', 'ada@example.com']) expect(html).not.toContain(value);
      // The first tenant's session is its tab's alone.
      expect(await tab.evaluate(() => window.sessionStorage.getItem('forgeworks.apiKey'))).toBe(other.apiKey);
    } finally {
      await otherContext.close();
    }
  }));

  it('never shows, sends back or logs a secret typed into a credential field, nor the API key', () => timed('secrets', async () => {
    const { credentials } = sandboxCredentials;
    for (const secret of [CANARY, credentials.clientSecret, credentials.refreshToken]) {
      expect(await witness.sightings(secret)).toEqual([]);
      for (const html of pageTexts) expect(html).not.toContain(secret);
    }
    expect(witness.bodies.length).toBeGreaterThan(50); // the witness did see the traffic
    expect(witness.urls.filter((u) => u.includes(tenant.apiKey))).toEqual([]);
    expect(witness.consoleLines.filter((l) => l.includes(tenant.apiKey))).toEqual([]);
    expect(witness.pageErrors).toEqual([]);
  }));

  it('signs out: the key leaves the tab', () => timed('sign-out', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('API key', { exact: true }).waitFor();
    expect(await page.evaluate(() => window.sessionStorage.length)).toBe(0);
  }));
});

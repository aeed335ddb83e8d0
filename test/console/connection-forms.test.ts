import type { Browser, Page } from 'playwright-core';
import { connectors } from '../../src/connectors/registry';
import { launchChromium, prepareBrowserTests, screenshot, unnamedControls, Witness } from './browser';
import { startConsoleStack, type ConsoleStack } from './console-stack';

// The connection form of every registered connector, generated in the browser from its credential
// and config schemas: each field gets a named input (secrets masked), and the sandbox's own
// credentials and settings, typed in as a person would, make a connection whose test passes. A
// connector whose schema the form cannot express (a list, a number) fails here.

const browserReady = prepareBrowserTests();
const suite = browserReady ? describe : describe.skip;

jest.setTimeout(180_000);

interface CatalogEntry {
  id: string;
  credentials: { properties?: Record<string, { type?: string }> };
  config: { properties?: Record<string, { type?: string }> };
  secretFields: string[];
}

/** A setting as typed into its input: lists comma-separated, objects (Snowflake's tables) as JSON. */
function typed(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

suite('connection forms for every registered connector', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let page: Page;
  let catalog: CatalogEntry[];
  let tenant: { id: string; apiKey: string };
  const witness = new Witness();
  const secrets: string[] = [];

  beforeAll(async () => {
    stack = await startConsoleStack(connectors.map((c) => c.id));
    tenant = await stack.createTenant();
    catalog = (await stack.api(tenant.apiKey, 'GET', '/v1/connectors')).body.connectors;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(30_000);
    witness.watch(context);
    page = await context.newPage();
    await page.goto(`${stack.url}/console`);
    await page.getByLabel('API key', { exact: true }).fill(tenant.apiKey);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lists every registered connector', () => {
    expect(catalog.map((c) => c.id).sort()).toEqual(connectors.map((c) => c.id).sort());
  });

  it.each(connectors.map((c) => c.id))('%s: the generated form creates a connection whose test passes', async (id) => {
    const entry = catalog.find((c) => c.id === id)!;
    const sandbox = await stack.admin('GET', 'credentials', undefined, id) as { credentials: Record<string, unknown>; config: Record<string, unknown> };
    const name = `${id}-form`;
    await page.getByLabel('System', { exact: true }).selectOption(id);
    await page.getByLabel('Connection name', { exact: true }).fill(name);

    for (const [prefix, schema, values] of [['credentials', entry.credentials, sandbox.credentials], ['config', entry.config, sandbox.config]] as const) {
      const fields = Object.keys(schema.properties ?? {});
      expect(await page.locator(`[id^="${prefix}-"]:is(input, select)`).count()).toBe(fields.length);
      // Every value the sandbox's connection holds has an input to type it into.
      expect(Object.keys(values).filter((k) => !fields.includes(k))).toEqual([]);
      for (const field of fields) {
        const input = page.locator(`#${prefix}-${field}`);
        const secret = prefix === 'credentials' && entry.secretFields.includes(field);
        expect((await input.getAttribute('type')) === 'password').toBe(secret);
        if (values[field] === undefined) continue;
        if (secret) secrets.push(String(values[field]));
        if ((await input.getAttribute('type')) === 'checkbox') await input.setChecked(values[field] === true);
        else await input.fill(typed(values[field]));
      }
    }
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, `connection-form-${id}`, false);
    await page.getByRole('button', { name: 'Create connection', exact: true }).click();
    await page.getByText(`Connection "${name}" created`).waitFor();
    for (const field of entry.secretFields) expect(await page.locator(`#credentials-${field}`).inputValue()).toBe('');

    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    await row.getByRole('button', { name: `Test ${name}`, exact: true }).click();
    await row.getByText('Credentials work').waitFor({ timeout: 60_000 });
    // The settings arrived typed as the schema wants them (lists as lists, numbers as numbers).
    const stored = await stack.api(tenant.apiKey, 'GET', '/v1/connections');
    const connection = stored.body.connections.find((c: { name: string }) => c.name === name);
    expect(connection.config).toEqual(expect.objectContaining(sandbox.config));
  });

  it('never shows or sends back a credential typed into a form', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(connectors.length);
    const html = await page.content();
    for (const secret of secrets) {
      expect(await witness.sightings(secret)).toEqual([]);
      expect(html).not.toContain(secret);
    }
  });
});

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startLoadHarness, type LoadHarness } from '../helpers/load-harness';
import { waitFor } from '../helpers/wait';
import { cleanEnv, forge, tempDir, type ForgeRun } from './forge-process';

const BIN = path.resolve(__dirname, '../../bin/forge.mjs');

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('forge: exit codes, --json, config, refusals and secrets', () => {
  let h: LoadHarness;
  let tmp: ReturnType<typeof tempDir>;
  const canary = `fw_canary_${crypto.randomBytes(12).toString('hex')}`;
  const runs: ForgeRun[] = [];
  const env = (extra: Record<string, string | undefined> = {}) => cleanEnv({
    FORGE_URL: h.gatewayUrl, FORGE_API_KEY: h.apiKey, FORGE_CONFIG: path.join(tmp.dir, 'absent.json'), ...extra,
  });
  const run = async (args: string[], e: NodeJS.ProcessEnv = env(), input?: string) => {
    const r = await forge(args, e, input);
    runs.push(r);
    return r;
  };
  const write = (name: string, text: string) => {
    const file = path.join(tmp.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const loadCount = async () => (await h.api('GET', '/v1/loads?limit=200')).body.loads.length as number;
  /** A failing run's reason: one line, the last on stderr (notes for a person may come before it). */
  const reason = (r: ForgeRun) => {
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('forge: '))).toHaveLength(1);
    return lines[lines.length - 1];
  };

  beforeAll(async () => {
    h = await startLoadHarness('hubspot');
    tmp = tempDir();
  });
  afterAll(async () => {
    tmp?.cleanup();
    await h?.stop();
  });

  it('answers exit codes a script can rely on, each failure with a one-line reason', async () => {
    const noKey = await run(['connections'], env({ FORGE_API_KEY: undefined }));
    expect(noKey.code).toBe(3);
    expect(reason(noKey)).toMatch(/^forge: no API key: set FORGE_API_KEY/);

    const refused = await run(['connections', '--json'], env({ FORGE_API_KEY: canary }));
    expect(refused.code).toBe(3);
    expect(refused.json().error).toMatchObject({ code: 'unauthorized', exitCode: 3 });

    const unreachable = await run(['connections'], env({ FORGE_URL: `http://127.0.0.1:${await closedPort()}` }));
    expect(unreachable.code).toBe(3);
    expect(reason(unreachable)).toMatch(/cannot reach the gateway .*ECONNREFUSED/);

    const noLoad = await run(['loads', 'ld_nothing']);
    expect(noLoad.code).toBe(4);
    expect(reason(noLoad)).toBe('forge: no load with id ld_nothing');
    const noConnection = await run(['test', 'no-such-connection']);
    expect(noConnection.code).toBe(4);
    expect(reason(noConnection)).toMatch(/no connection with id or name "no-such-connection"/);

    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['load', path.join(tmp.dir, 'missing.csv'), '--connection', 'x', '--object', 'contacts', '--dry-run'])).code).toBe(2);
    const badOperation = await run(['load', write('x.csv', 'email\na@example.com\n'), '--connection', 'x', '--object', 'contacts', '--operation', 'merge']);
    expect(badOperation.code).toBe(2);
    expect(badOperation.stderr).toMatch(/--operation/);

    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0\s+done[\s\S]*130\s+interrupted/);
  });

  it('prints JSON only with --json, and tables otherwise', async () => {
    const connections = await run(['connections', '--json']);
    expect(connections.code).toBe(0);
    expect(connections.stderr).toBe('');
    expect(connections.json().connections).toEqual([expect.objectContaining({ id: h.connectionId, connector: 'hubspot', name: 'hubspot-sandbox' })]);
    const human = await run(['connections']);
    expect(human.stdout).toMatch(new RegExp(`^ID\\s+CONNECTOR\\s+NAME\\s+CREATED\\n${h.connectionId}\\s+hubspot\\s+hubspot-sandbox`));

    const tested = await run(['--json', 'test', 'hubspot-sandbox']);
    expect(tested.code).toBe(0);
    expect(tested.json()).toEqual({ connectionId: h.connectionId, ok: true });

    const config = await run(['config', '--json']);
    expect(config.json()).toMatchObject({ url: h.gatewayUrl, urlFrom: 'env', apiKey: 'set', apiKeyFrom: 'env' });
  });

  it('names the line and column of a bad CSV row, and writes nothing', async () => {
    const before = await loadCount();
    const file = write('companies.csv', 'domain,name,numberofemployees\nok.example,Ok,3\nbad.example,Bad,twelve\n');
    const bad = await run(['load', file, '--connection', 'hubspot-sandbox', '--object', 'companies', '--key', 'domain', '--dry-run']);
    expect(bad.code).toBe(2);
    expect(reason(bad)).toBe('forge: companies.csv: line 3, column numberofemployees: numberofemployees must be a number');
    const json = await run(['load', file, '--connection', 'hubspot-sandbox', '--object', 'companies', '--key', 'domain', '--yes', '--json']);
    expect(json.code).toBe(2);
    expect(json.json().error).toMatchObject({ code: 'validation_failed', fields: [{ field: 'line 3, column numberofemployees' }] });
    // A big file refused at its third line: the gateway answers before it has read the rest.
    const rows = Array.from({ length: 200_000 }, (_, i) => `big${i}.example,Big ${i},${i}`);
    rows[1] = 'big1.example,Big 1,many';
    const big = write('big-companies.csv', `domain,name,numberofemployees\n${rows.join('\n')}\n`);
    const refused = await run(['load', big, '--connection', 'hubspot-sandbox', '--object', 'companies', '--key', 'domain', '--yes']);
    expect(refused.code).toBe(2);
    expect(reason(refused)).toBe('forge: big-companies.csv: line 3, column numberofemployees: numberofemployees must be a number');
    expect(await loadCount()).toBe(before);
    expect((await h.admin('GET', 'state')).body.objects.companies ?? []).toEqual([]);
  });

  it('refuses to write without asking when it cannot ask', async () => {
    const before = await loadCount();
    const file = write('ask.csv', 'email,firstname\nask@example.com,Ask\n');
    const target = [file, '--connection', 'hubspot-sandbox', '--object', 'contacts'];
    const json = await run(['load', ...target, '--json']);
    expect(json.code).toBe(2);
    expect(json.json().error.message).toBe('--json cannot ask before writing: pass --yes to write, or --dry-run to plan only');
    const piped = await run(['load', ...target]);
    expect(piped.code).toBe(2);
    expect(reason(piped)).toMatch(/stdin is not a terminal, so forge cannot ask before writing: pass --yes/);
    expect(await loadCount()).toBe(before);
  });

  it('reports failures grouped by field and exits 1 when records fail', async () => {
    const lines = [
      { email: 'good1@example.com', firstname: 'Good' },
      { email: 'bad1@example.com', lifecyclestage: 'not-a-stage' },
      { email: 'bad2@example.com', lifecyclestage: 'nor-this' },
    ].map((r) => JSON.stringify(r));
    const file = write('mixed.ndjson', `${lines.join('\n')}\n`);
    const r = await run(['load', file, '--connection', h.connectionId, '--object', 'contacts', '--key', 'email', '--on-error', 'continue', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Failures by field:\nFIELD\s+RECORDS\s+EXAMPLE\nlifecyclestage\s+2\s+bad1@example.com: /);
    expect(reason(r)).toMatch(/with 2 failed records \(lifecyclestage: 2\)/);
  });

  it('leaves a load running on Ctrl-C, says how to cancel it, and cancels it', async () => {
    const upsert = '/crm/v3/objects/contacts/batch/upsert';
    await h.admin('POST', 'faults', { faults: [{ method: 'POST', path: upsert, latencyMs: 400 }] });
    try {
      const rows = Array.from({ length: 3_000 }, (_, i) => `slow${i}@example.com,Slow${i}`);
      const file = write('slow.csv', `email,firstname\n${rows.join('\n')}\n`);
      const child = spawn(process.execPath, [BIN, 'load', file, '--connection', 'hubspot-sandbox', '--object', 'contacts', '--key', 'email', '--yes'],
        { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += String(d); });
      let code: number | null | undefined;
      const exited = new Promise<number | null>((resolve) => child.on('close', (c) => { code = c; resolve(c); }));
      const loadId = await waitFor('the load to start', async () => {
        if (code !== undefined) throw new Error(`forge exited ${code} before the load started: ${stderr}`);
        return /load (ld_\w+) started/.exec(stderr)?.[1];
      });
      await waitFor('a first chunk written', async () => (await h.api('GET', `/v1/loads/${loadId}`)).body.counts.created > 0);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr.trimEnd().split('\n').pop()).toBe(
        `forge: interrupted: load ${loadId} keeps running; cancel it with \`forge cancel ${loadId}\`, follow it with \`forge loads ${loadId}\``);
      expect((await h.api('GET', `/v1/loads/${loadId}`)).body.status).toBe('running');

      const cancelled = await run(['cancel', loadId, '--json']);
      expect(cancelled.code).toBe(0);
      expect(cancelled.json().load).toMatchObject({ id: loadId, status: 'cancelled' });
      const left = (await h.admin('GET', 'state')).body.objects.contacts.filter((c: any) => !c.archived && /^slow/.test(c.properties?.email ?? c.email));
      expect(left).toEqual([]);
      const again = await run(['cancel', loadId]);
      expect(again.code).toBe(1);
      expect(reason(again)).toMatch(/only a pending or running load can be cancelled/);
    } finally {
      await h.admin('DELETE', 'faults');
    }
  });

  it('refuses a config file open to others, and reads it once it is 0600', async () => {
    const file = path.join(tmp.dir, 'open', 'config.json');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, JSON.stringify({ url: h.gatewayUrl, apiKey: h.apiKey }), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const fileEnv = env({ FORGE_URL: undefined, FORGE_API_KEY: undefined, FORGE_CONFIG: file });
    const refused = await run(['connections'], fileEnv);
    expect(refused.code).toBe(3);
    expect(reason(refused)).toBe(`forge: ${file} is open to group or others (mode 0644); it holds an API key: run chmod 600 ${file}`);
    fs.chmodSync(file, 0o600);
    const read = await run(['connections', '--json'], fileEnv);
    expect(read.code).toBe(0);
    expect(read.json().connections).toHaveLength(1);
  });

  it('logs in from a piped key and creates a tenant, saving keys 0600 without printing them', async () => {
    const file = path.join(tmp.dir, 'login', 'forge', 'config.json');
    const fileEnv = env({ FORGE_URL: undefined, FORGE_API_KEY: undefined, FORGE_CONFIG: file });
    const wrong = await run(['login', '--url', h.gatewayUrl], fileEnv, `${canary}\n`);
    expect(wrong.code).toBe(3);
    expect(fs.existsSync(file)).toBe(false);
    const login = await run(['login', '--url', h.gatewayUrl], fileEnv, `${h.apiKey}\n`);
    expect(login.code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ url: h.gatewayUrl, apiKey: h.apiKey });
    const shown = await run(['config', '--json'], fileEnv);
    expect(shown.json()).toMatchObject({ url: h.gatewayUrl, urlFrom: 'file', apiKey: 'set', apiKeyFrom: 'file' });

    const adminEnv = { ...fileEnv, FORGE_ADMIN_KEY: h.config.FORGE_ADMIN_KEY };
    expect((await run(['tenant', 'create', 'acme'], adminEnv)).code).toBe(2); // a key is already saved
    const created = await run(['tenant', 'create', 'acme', '--force', '--json'], adminEnv);
    expect(created.code).toBe(0);
    expect(created.json()).toMatchObject({ id: expect.any(String), name: 'acme', configFile: file });
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')).apiKey;
    expect(saved).not.toBe(h.apiKey);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(created.stdout + created.stderr).not.toContain(saved);
    const fresh = await run(['connections', '--json'], fileEnv);
    expect(fresh.json()).toEqual({ connections: [] });
  });

  it('reads and follows the Stream, and lists captures', async () => {
    await h.admin('POST', 'seed', { objects: { companies: [{ domain: 'stream1.example', name: 'S1' }, { domain: 'stream2.example', name: 'S2' }] } });
    const started = await run(['capture', 'hubspot-sandbox', 'companies', '--interval', '1', '--json']);
    expect(started.code).toBe(0);
    const capture = { body: started.json() as { id: string } };
    expect(capture.body).toMatchObject({ id: expect.stringMatching(/\S/), connectionId: h.connectionId, object: 'companies' });
    try {
      await waitFor('both seeded companies in the Stream', async () => {
        const page = await h.api('GET', `/v1/stream?connectionId=${h.connectionId}&object=companies&limit=1000`);
        const domains = page.body.events.map((e: any) => e.data?.domain);
        return domains.includes('stream1.example') && domains.includes('stream2.example');
      });
      const page = await run(['stream', '--connection', 'hubspot-sandbox', '--object', 'companies', '--json']);
      expect(page.code).toBe(0);
      const events = page.json().events;
      expect(events.length).toBeGreaterThan(0);
      expect(events.map((e: any) => [e.connectionId, e.object, e.op, e.data.domain])).toEqual([
        [h.connectionId, 'companies', 'upsert', 'stream1.example'], [h.connectionId, 'companies', 'upsert', 'stream2.example']]);

      const captures = await run(['captures', '--json']);
      expect(captures.json().captures).toEqual([expect.objectContaining({ id: capture.body.id, object: 'companies', connector: 'hubspot' })]);

      // --follow --json: one event per line, starting after the given offset, until stopped.
      const last = events[events.length - 1].offset;
      await h.admin('POST', 'seed', { objects: { companies: [{ domain: 'stream3.example', name: 'S3' }] } });
      const child = spawn(process.execPath, [BIN, 'stream', '--connection', h.connectionId, '--object', 'companies', '--after', String(last), '--follow', '--json', '--interval', '200'],
        { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      const followed: any[] = [];
      for await (const line of createInterface({ input: child.stdout })) {
        followed.push(JSON.parse(line));
        if (followed[followed.length - 1].data?.domain === 'stream3.example') break;
      }
      expect(followed.map((e) => [e.offset > last, e.data.domain])).toEqual([[true, 'stream3.example']]);
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(child.stderr.read()?.toString() ?? '').not.toMatch(/forge:/);
    } finally {
      const stopped = await run(['uncapture', capture.body.id]);
      expect(stopped.code).toBe(0);
      expect((await h.api('GET', `/v1/captures/${capture.body.id}`)).body.status).toBe('stopped');
    }
  });

  it('printed no secret in any run: not the tenant key, the admin key or a refused canary key', () => {
    expect(runs.length).toBeGreaterThan(20);
    for (const r of runs) {
      for (const secret of [h.apiKey, h.config.FORGE_ADMIN_KEY!, canary]) {
        expect(r.stdout).not.toContain(secret);
        expect(r.stderr).not.toContain(secret);
      }
    }
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/services/free-port';
import { isPlainError } from '../../scripts/services/plain-error';
import { assertPortsFree, canListen, portHolder } from '../../scripts/services/port-owner';
import { groupAlive, startTimeOf } from '../../scripts/services/process-identity';
import { startStack } from '../../scripts/services/stack';
import { stopLeftovers, supervisor } from '../../scripts/services/supervisor';

// What `npm run dev` relies on to leave nothing running, exercised on stand-in services that take
// a second to stop and have children of their own (test/fixtures/supervision), so every way of
// stopping the orchestrator is checked in seconds.
const root = path.resolve(__dirname, '..', '..');
const fixture = path.join(root, 'test', 'fixtures', 'supervision', 'orchestrator.ts');

/** Pids of the processes in a process group, from /proc. */
function membersOf(pgid: number): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[2]) === pgid && fields[0] !== 'Z';
    } catch {
      return false;
    }
  }).map(Number);
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Orchestrator { child: ChildProcess; groups: number[]; reaper: number; pidFile: string; output: () => string }

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

async function startOrchestrator(opts: { services?: number; slowMs?: number; via?: 'direct' | 'ipc-parent' } = {}): Promise<Orchestrator> {
  const dir = tempDir('forge-supervision-');
  const pidFile = path.join(dir, 'pids.json');
  const args = ['--import', 'tsx', fixture, pidFile, String(opts.services ?? 3), String(opts.slowMs ?? 1000)];
  const env = { ...process.env, FORGE_REAPER_GRACE_MS: '3000' };
  let child: ChildProcess;
  if (opts.via === 'ipc-parent') {
    // Like scripts/dev.mjs: a parent that starts the orchestrator over IPC and passes on its output.
    const launcher = `const c=require('child_process').spawn(process.execPath,${JSON.stringify(args)},{stdio:['ignore','inherit','inherit','ipc']});setInterval(()=>{},1e6);`;
    child = spawn(process.execPath, ['-e', launcher], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  } else {
    child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  }
  let text = '';
  child.stdout!.on('data', (b: Buffer) => { text += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { text += b.toString(); });
  await until(() => /READY (.*)\n/.test(text) || child.exitCode !== null, 20_000, 'the orchestrator is ready');
  const ready = /READY (.*)\n/.exec(text);
  if (!ready) throw new Error(`orchestrator failed: ${text}`);
  const { groups, reaper } = JSON.parse(ready[1]) as { groups: number[]; reaper: number };
  // Each service has started its own child: a stop must reach both.
  await until(() => groups.every((g) => membersOf(g).length >= 2), 10_000, 'every service has a child');
  return { child, groups, reaper, pidFile, output: () => text };
}

const cleanup: number[] = [];
afterAll(() => {
  for (const pgid of cleanup) try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('stopping the orchestrator leaves nothing running', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('on %s, stops every service and its children, then exits 0', async (signal) => {
    const o = await startOrchestrator();
    cleanup.push(...o.groups);
    const exited = new Promise<number | null>((r) => o.child.once('exit', (code) => r(code)));
    o.child.kill(signal);
    expect(await exited).toBe(0);
    expect(o.output()).toContain(`STOPPED ${signal}`);
    for (const g of o.groups) expect(membersOf(g)).toEqual([]);
    expect(fs.existsSync(o.pidFile)).toBe(false);
    await until(() => membersOf(o.reaper).length === 0, 3000, 'the reaper exits once nothing is left');
  });

  it('killed outright (SIGKILL), its reaper stops every service and its children', async () => {
    const o = await startOrchestrator();
    cleanup.push(...o.groups);
    o.child.kill('SIGKILL');
    await until(() => o.groups.every((g) => membersOf(g).length === 0), 8000, 'every group is gone');
    await until(() => membersOf(o.reaper).length === 0, 6000, 'the reaper exits');
  });

  it('when the parent that started it over IPC dies, it stops everything itself', async () => {
    const o = await startOrchestrator({ via: 'ipc-parent' });
    cleanup.push(...o.groups);
    o.child.kill('SIGKILL'); // the launcher, as if npm run dev's own process were killed
    await until(() => /STOPPED the process that started this one is gone/.test(o.output()), 8000, 'the orchestrator stops');
    for (const g of o.groups) expect(membersOf(g)).toEqual([]);
  });

  it('when even the reaper was killed, the next start stops what the pid file names, and only that', async () => {
    const o = await startOrchestrator({ services: 2, slowMs: 0 });
    cleanup.push(...o.groups);
    process.kill(o.reaper, 'SIGKILL');
    o.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    for (const g of o.groups) expect(membersOf(g).length).toBeGreaterThan(0); // orphans, as in issue 23
    // A recorded pid now used by another process (different start time) must be left alone.
    const recorded = JSON.parse(fs.readFileSync(o.pidFile, 'utf8'));
    const bystander = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    cleanup.push(bystander.pid!);
    recorded.groups.push({ name: 'recycled', pgid: bystander.pid, startTime: '1' });
    fs.writeFileSync(o.pidFile, JSON.stringify(recorded));
    const logged: string[] = [];
    const stopped = await stopLeftovers(o.pidFile, (m) => logged.push(m));
    expect(stopped.sort()).toEqual(['service-0', 'service-1']);
    expect(logged.join('\n')).toMatch(/stopping service-0 \(pid \d+\), left running by an earlier npm run dev/);
    for (const g of o.groups) expect(membersOf(g)).toEqual([]);
    expect(groupAlive(bystander.pid!)).toBe(true);
    bystander.kill('SIGKILL');
    expect(fs.existsSync(o.pidFile)).toBe(false);
  });

  it('refuses to start beside a live run of the same directory, naming it', async () => {
    const dir = tempDir('forge-supervision-');
    const pidFile = path.join(dir, 'pids.json');
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    await until(() => startTimeOf(other.pid!) !== undefined, 2000, 'sleep started');
    fs.writeFileSync(pidFile, JSON.stringify({ owner: { pid: other.pid, startTime: startTimeOf(other.pid!) }, groups: [] }));
    const err = await stopLeftovers(pidFile, () => {}).catch((e: unknown) => e);
    other.kill('SIGKILL');
    expect(isPlainError(err)).toBe(true);
    expect((err as Error).message).toBe(`another npm run dev is running from this directory (pid ${other.pid}: sleep 30); stop it first (kill ${other.pid})`);
  });
});

describe('a port held by something else', () => {
  it('is named with the pid and command that hold it', async () => {
    const server = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    try {
      expect(await canListen(port)).toBe(false);
      expect(portHolder(port)?.pid).toBe(process.pid);
      const err = await assertPortsFree([{ port, purpose: 'Temporal', option: '--temporal-port <n>' }]).catch((e: unknown) => e);
      expect(isPlainError(err)).toBe(true);
      expect((err as Error).message).toMatch(new RegExp(
        `^port ${port} \\(Temporal\\) is in use by pid ${process.pid} \\(node .*\\); stop it \\(kill ${process.pid}\\) or choose another port with --temporal-port <n>$`));
    } finally {
      server.close();
    }
    expect(await canListen(port)).toBe(true);
    await expect(assertPortsFree([{ port, purpose: 'Temporal', option: '--temporal-port <n>' }])).resolves.toBeUndefined();
  });
});

describe('a stack that fails halfway', () => {
  it('stops Temporal and Vault when Postgres fails at once: it waits for them to finish starting, then stops them', async () => {
    const temporalPort = await freePort();
    const track = jest.spyOn(supervisor, 'track'); // calls through: records what was started
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-halfway-'));
    fs.writeFileSync(path.join(workDir, 'not-a-directory'), '');
    let failure: unknown;
    try {
      await startStack({
        purpose: 'test', workDir, pgDataDir: path.join(workDir, 'not-a-directory', 'pg'), temporalPort, temporalUiPort: null,
        masterKeyFile: path.join(workDir, 'master.key'), log: () => {},
      });
    } catch (err) {
      failure = err;
    }
    const started = track.mock.calls.map(([name, pgid]) => ({ name, pgid }));
    track.mockRestore();
    expect(String(failure)).toMatch(/EEXIST|ENOTDIR/); // Postgres' data directory cannot be made
    // Had it returned at the first failure, Temporal would not even have been started yet, or not stopped.
    expect(started.map((s) => s.name).sort()).toEqual(['temporal', 'vault']);
    for (const s of started) expect(membersOf(s.pgid)).toEqual([]);
    expect(await canListen(temporalPort)).toBe(true);
    expect(supervisor.tracked()).toEqual([]);
    fs.rmSync(workDir, { recursive: true, force: true });
  }, 60_000);
});

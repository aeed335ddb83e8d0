// `npm run timings`: how long a newcomer waits, measured from a fresh clone of this repository.
//   dev:   fresh clone → `npm run dev` answering /health with every part up (then stopped with
//          SIGTERM, and checked to leave nothing running);
//   tests: fresh clone → first `npm test` finished, then the same `npm test` again (warm).
// Caches: --cache cold (default) gives npm, pip, jest and the Forgeworks binaries empty caches in a
// temporary directory (the user's own caches are never touched); --cache bin empties only the
// binary cache (FORGE_CACHE_DIR), --cache warm uses the user's caches. Nothing here fails on a slow
// number: it measures and prints.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { freePort } from './services/free-port';
import { repoRoot } from './services/paths';
import { onStopRequest } from './services/lifecycle';
import { groupAlive, signalGroup, stopGroup } from './services/process-identity';
import { supervisor } from './services/supervisor';

const program = new Command()
  .name('npm run timings --')
  .addOption(new Option('--cache <which>', 'caches to start from').choices(['cold', 'bin', 'warm']).default('cold'))
  .option('--no-dev', 'skip the npm run dev timing')
  .option('--tests [paths...]', 'also time the first and a warm `npm test` (the whole suite, or only these paths)')
  .option('--source <dir>', 'repository to clone', repoRoot)
  .option('--keep', 'keep the temporary clones and caches', false)
  .parse();
const opts = program.opts<{ cache: 'cold' | 'bin' | 'warm'; dev: boolean; tests?: true | string[]; source: string; keep: boolean }>();

const log = (m: string) => process.stderr.write(`[timings] ${m}\n`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-timings-'));
fs.chmodSync(work, 0o755); // the embedded Postgres may run as the postgres account
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Environment of a measured run: caches per --cache, in `work`. */
function cacheEnv(name: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FORGE_TEST_STACK;
  delete env.DATABASE_URL;
  if (opts.cache !== 'warm') env.FORGE_CACHE_DIR = path.join(work, `${name}-cache`, 'forgeworks');
  if (opts.cache === 'cold') {
    env.npm_config_cache = path.join(work, `${name}-cache`, 'npm');
    env.PIP_CACHE_DIR = path.join(work, `${name}-cache`, 'pip');
  }
  return env;
}

/** A fresh clone, with the shared documents beside it as ../shared, like the original. */
function freshClone(name: string): { dir: string; ms: number } {
  const started = Date.now();
  const parent = path.join(work, name);
  const dir = path.join(parent, 'main');
  fs.mkdirSync(parent, { recursive: true });
  execFileSync('git', ['clone', '--quiet', opts.source, dir], { stdio: 'ignore' });
  const shared = path.resolve(opts.source, '..', 'shared');
  if (fs.existsSync(shared)) fs.symlinkSync(shared, path.join(parent, 'shared'));
  return { dir, ms: Date.now() - started };
}

interface Timed { label: string; ms: number; note?: string }

/** Lines of a child's output, each with the time it appeared. */
function watchLines(stream: NodeJS.ReadableStream, started: number, lines: Array<{ at: number; text: string }>): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      lines.push({ at: Date.now() - started, text: pending.slice(0, nl) });
      pending = pending.slice(nl + 1);
    }
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`);
    if (res.status !== 200) return false;
    const body = (await res.json()) as Record<string, { status?: string }>;
    return ['temporal', 'postgres', 'vault'].every((part) => body[part]?.status === 'up');
  } catch {
    return false;
  }
}

async function timeDev(): Promise<Timed[]> {
  const clone = freshClone('dev');
  const [port, temporalPort, uiPort, pgPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const started = Date.now();
  const child = spawn('npm', ['run', 'dev', '--', '--port', String(port), '--temporal-port', String(temporalPort),
    '--ui-port', String(uiPort), '--pg-port', String(pgPort)], { cwd: clone.dir, env: cacheEnv('dev'), detached: true,
    stdio: ['ignore', 'pipe', 'pipe'] });
  supervisor.track('npm run dev', child.pid!); // stopped by the reaper should this script die
  const lines: Array<{ at: number; text: string }> = [];
  watchLines(child.stdout!, started, lines);
  watchLines(child.stderr!, started, lines);
  let exited = false;
  child.once('exit', () => { exited = true; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + 20 * 60_000;
  // Up: the "Forgeworks is up" banner (health 200 and the worker polling), with /health confirming.
  const up = () => lines.some((l) => l.text.startsWith('Forgeworks is up'));
  while (!exited && Date.now() < deadline && !(up() && await healthy(url))) await new Promise((r) => setTimeout(r, 250));
  const upMs = Date.now() - started;
  const results: Timed[] = [{ label: 'git clone', ms: clone.ms }];
  const at = (re: RegExp) => lines.find((l) => re.test(l.text))?.at;
  const installed = at(/^added \d+ packages/);
  if (installed !== undefined) results.push({ label: '  npm ci (inside npm run dev)', ms: installed });
  for (const [re, label] of [[/OpenBao .* ready/, '  OpenBao fetched'], [/temporal .* ready|Temporal CLI .* ready/i, '  Temporal CLI fetched']] as const) {
    const t = at(re);
    if (t !== undefined) results.push({ label, ms: t, note: 'since npm run dev started' });
  }
  if (exited || Date.now() >= deadline) {
    results.push({ label: 'npm run dev → /health', ms: upMs, note: `FAILED: ${lines.slice(-5).map((l) => l.text).join(' | ')}` });
  } else {
    results.push({ label: 'npm run dev → up (/health, worker polling)', ms: upMs });
  }
  results.push(await stopDev(child.pid!, path.join(clone.dir, '.forgeworks', 'dev', 'pids.json')));
  return results;
}

/** SIGTERM to npm, as a process manager would; then everything npm run dev started must be gone. */
async function stopDev(npmPid: number, pidFile: string): Promise<Timed> {
  const groups = fs.existsSync(pidFile)
    ? (JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { groups: Array<{ name: string; pgid: number }> }).groups : [];
  const started = Date.now();
  try { process.kill(npmPid, 'SIGTERM'); } catch { /* gone */ }
  while (Date.now() - started < 30_000 && groups.some((g) => groupAlive(g.pgid))) await new Promise((r) => setTimeout(r, 100));
  const left = groups.filter((g) => groupAlive(g.pgid));
  for (const g of left) signalGroup(g.pgid, 'SIGKILL');
  signalGroup(npmPid, 'SIGKILL');
  supervisor.untrack(npmPid);
  return { label: 'stop (SIGTERM to npm)', ms: Date.now() - started,
    note: left.length ? `LEFT RUNNING: ${left.map((g) => g.name).join(', ')}` : `nothing left running (${groups.length} services)` };
}

async function timeNpmTest(dir: string, env: NodeJS.ProcessEnv, paths: string[], label: string): Promise<Timed> {
  const started = Date.now();
  const child = spawn('npm', ['test', '--', '--cacheDirectory', path.join(work, 'jest-cache'), ...paths],
    { cwd: dir, env, stdio: 'ignore', detached: true });
  supervisor.track('npm test', child.pid!);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  await stopGroup(child.pid!, 5000); // anything the run left in its group
  supervisor.untrack(child.pid!);
  return { label, ms: Date.now() - started, note: code === 0 ? 'passed' : `FAILED (exit ${code})` };
}

async function timeTests(paths: string[]): Promise<Timed[]> {
  const clone = freshClone('test');
  const env = cacheEnv('test');
  const what = paths.length ? paths.join(' ') : 'the whole suite';
  log(`npm test (${what}), first run…`);
  const first = await timeNpmTest(clone.dir, env, paths, `first npm test (${what})`);
  log('npm test again, warm…');
  const warm = await timeNpmTest(clone.dir, env, paths, `warm npm test (${what})`);
  return [first, warm, { label: 'first minus warm', ms: first.ms - warm.ms }];
}

function machine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? '?';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, load ${os.loadavg()[0].toFixed(1)}, ` +
    `Node ${process.version}, ${os.platform()}`;
}

async function main(): Promise<void> {
  // Stopped early (a CI timeout), the runs it started stop too.
  onStopRequest((why) => {
    log(`stopping (${why})`);
    void Promise.all(supervisor.tracked().map((g) => stopGroup(g.pgid, 10_000))).then(() => process.exit(1));
  });
  const results: Timed[] = [];
  const caches = { cold: 'empty npm, pip, jest and binary caches', bin: 'empty binary cache; npm and pip caches as they are',
    warm: "the user's caches" }[opts.cache];
  log(`fresh clones of ${opts.source} in ${work}; ${caches}`);
  try {
    if (opts.dev) results.push(...await timeDev());
    if (opts.tests) results.push(...await timeTests(opts.tests === true ? [] : opts.tests));
    const width = Math.max(...results.map((r) => r.label.length));
    process.stdout.write([
      `Fresh-clone timings (${caches}) on ${machine()}:`,
      ...results.map((r) => `  ${r.label.padEnd(width)}  ${String(seconds(r.ms)).padStart(7)} s${r.note ? `   ${r.note}` : ''}`),
      '',
    ].join('\n'));
  } finally {
    if (!opts.keep) {
      log(`removing ${work}`);
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[timings] ${String((err as Error)?.message ?? err)}\n`);
  process.exitCode = 1;
});

// The dev orchestrator behind `npm run dev`: the whole stack on embedded defaults, stopped on Ctrl-C.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { startProcess, type ManagedProcess } from './services/child';
import { waitForPort } from './services/free-port';
import { repoRoot } from './services/paths';
import { startStack, stackEnv, type RunningStack } from './services/stack';

const program = new Command()
  .name('npm run dev --')
  .option('--port <n>', 'gateway port', process.env.PORT ?? '3000')
  .option('--temporal-port <n>', 'Temporal frontend port', '7233')
  .option('--ui-port <n>', 'Temporal Web UI port', '8233')
  .parse();
const opts = program.opts<{ port: string; temporalPort: string; uiPort: string }>();

const devDir = path.join(repoRoot, '.forgeworks', 'dev');
const log = (m: string) => process.stderr.write(`[dev] ${m}\n`);

/** The admin key: FORGE_ADMIN_KEY when set, else one generated once and kept (0600) beside the dev data. */
function adminKey(): string {
  if (process.env.FORGE_ADMIN_KEY) return process.env.FORGE_ADMIN_KEY;
  const file = path.join(devDir, 'admin.key');
  if (!fs.existsSync(file)) fs.writeFileSync(file, `fw_admin_${crypto.randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

const processes: ManagedProcess[] = [];
let stack: RunningStack | null = null;
let stopping = false;
// The services are detached children that do not hold the event loop open: this does, until Ctrl-C.
const keepAlive = setInterval(() => {}, 60_000);

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  clearInterval(keepAlive);
  for (const p of processes.reverse()) await p.stop();
  await stack?.stop();
  log('stopped');
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  fs.mkdirSync(devDir, { recursive: true, mode: 0o755 });
  fs.chmodSync(path.join(repoRoot, '.forgeworks'), 0o755); // the embedded postgres runs as `postgres` when we are root
  fs.chmodSync(devDir, 0o755);

  stack = await startStack({
    purpose: 'dev',
    workDir: devDir,
    pgDataDir: path.join(devDir, 'pg'),
    pgPassword: 'forgeworks-dev',
    pgPort: 5433,
    temporalPort: Number(opts.temporalPort),
    temporalUiPort: Number(opts.uiPort),
    temporalDbFile: path.join(devDir, 'temporal.db'),
    masterKeyFile: path.join(repoRoot, '.forgeworks', 'master.key'),
    log,
  });
  const key = adminKey();
  const env = { ...process.env, ...stackEnv(stack.info), FORGE_ADMIN_KEY: key, PORT: opts.port, HOST: '127.0.0.1' };
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  for (const [name, entry] of [['worker', 'src/worker.ts'], ['gateway', 'src/main.ts']] as const) {
    const proc = startProcess(name, tsx, [path.join(repoRoot, entry)], path.join(devDir, `${name}.log`), env);
    proc.child.once('exit', (code) => { if (!stopping) { log(`${name} exited (${code}); see ${proc.logFile}`); void stopAll(1); } });
    processes.push(proc);
  }
  await waitForPort(Number(opts.port), 120000);
  const vault = stack.info.vault.address ?? `not running (${'reason' in stack.info.vault ? stack.info.vault.reason : ''})`;
  process.stdout.write([
    '',
    'Forgeworks is up:',
    `  Gateway       http://127.0.0.1:${opts.port}   (health: /health, OpenAPI: /docs)`,
    `  Temporal UI   ${stack.info.temporalUiUrl}`,
    `  Temporal      ${stack.info.temporalAddress}`,
    `  Postgres      ${stack.info.databaseUrl.replace(/:[^:@/]+@/, ':****@')}`,
    `  Vault         ${vault}`,
    `  Admin key     ${key}   (Authorization: Bearer <key> on POST /v1/tenants)`,
    `  Logs          ${devDir}/*.log`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'));
}

main().catch((err) => {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  void stopAll(1);
});

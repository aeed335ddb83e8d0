// The dev orchestrator behind `npm run dev`: the whole stack on embedded defaults. However it is
// stopped (Ctrl-C, SIGTERM, SIGHUP, its parent gone, or killed outright) it leaves nothing running:
// see services/supervisor.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createDemo, type Demo } from './dev/demo';
import { demoSteps, nextSteps, stopHint, upBlock } from './dev/next-steps';
import { sandboxEnv, startAllSandboxes, type DevSandbox } from './dev/sandboxes';
import { startProcess, type ManagedProcess } from './services/child';
import { repoRoot } from './services/paths';
import { onStopRequest } from './services/lifecycle';
import { isPlainError, PlainError } from './services/plain-error';
import { assertPortsFree } from './services/port-owner';
import { workerNodeOptions } from './services/worker-heap';
import { waitForWorker } from './services/worker-ready';
import { startStack, stackEnv, type RunningStack } from './services/stack';
import { stopLeftovers, supervisor } from './services/supervisor';
import { OPENBAO_VERSION } from './services/vault-binary';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('a port is an integer from 1 to 65535');
  return n;
}

const program = new Command()
  .name('npm run dev --')
  .option('--port <n>', 'gateway port', port, Number(process.env.PORT ?? 3000))
  .option('--temporal-port <n>', 'Temporal frontend port', port, 7233)
  .option('--ui-port <n>', 'Temporal Web UI port', port, 8233)
  .option('--pg-port <n>', 'embedded Postgres port', port, 5433)
  .option('--sandboxes', 'also start every sandbox, with a demo tenant and one connection per system', false)
  .parse();
const opts = program.opts<{ port: number; temporalPort: number; uiPort: number; pgPort: number; sandboxes: boolean }>();

const devDir = path.join(repoRoot, '.forgeworks', 'dev');
const relative = (p: string) => path.relative(process.cwd(), p) || '.';
const log = (m: string) => process.stderr.write(`[dev] ${m}\n`);

/** The admin key: FORGE_ADMIN_KEY when set, else one generated once and kept (0600) beside the dev data. */
function adminKey(): { value: string; ref: string } {
  if (process.env.FORGE_ADMIN_KEY) return { value: process.env.FORGE_ADMIN_KEY, ref: '$FORGE_ADMIN_KEY' };
  const file = path.join(devDir, 'admin.key');
  if (!fs.existsSync(file)) fs.writeFileSync(file, `fw_admin_${crypto.randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  return { value: fs.readFileSync(file, 'utf8').trim(), ref: `$(cat ${relative(file)})` };
}

const processes: ManagedProcess[] = [];
let sandboxes: DevSandbox[] = [];
let stack: RunningStack | null = null;
let stopping = false;
const keepAlive = setInterval(() => {}, 60_000); // the services are detached: this holds the loop until a stop

async function stopAll(code: number, why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const anything = processes.length > 0 || sandboxes.length > 0 || stack !== null || supervisor.tracked().length > 0;
  if (anything) log(`stopping (${why})…`);
  clearInterval(keepAlive);
  // Should a stop hang, exit anyway: the reaper then stops what is left.
  setTimeout(() => process.exit(code || 1), 30_000).unref();
  await Promise.all(processes.map((p) => p.stop()));
  await Promise.all(sandboxes.map((s) => s.stop()));
  await stack?.stop();
  supervisor.releasePidFile();
  if (anything) log('stopped');
  process.exit(code);
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
      const body = (await res.json()) as Record<string, { status?: string; detail?: string }>;
      last = Object.entries(body).filter(([, v]) => v?.status === 'down').map(([k, v]) => `${k}: ${v.detail}`).join('; ');
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new PlainError(`the gateway's /health did not answer 200 within ${timeoutMs / 1000} s (${last}); see ${relative(devDir)}/gateway.log`);
}

async function main(): Promise<void> {
  const started = Date.now();
  onStopRequest((why, code) => void stopAll(code, why));

  fs.mkdirSync(devDir, { recursive: true });
  const pidFile = path.join(devDir, 'pids.json');
  await stopLeftovers(pidFile, log);
  supervisor.usePidFile(pidFile);
  await assertPortsFree([
    { port: opts.port, purpose: 'the gateway', option: '--port <n>' },
    { port: opts.temporalPort, purpose: 'Temporal', option: '--temporal-port <n>' },
    { port: opts.uiPort, purpose: 'the Temporal Web UI', option: '--ui-port <n>' },
    ...(process.env.DATABASE_URL ? [] : [{ port: opts.pgPort, purpose: 'the embedded Postgres', option: '--pg-port <n>' }]),
  ]);

  stack = await startStack({
    purpose: 'dev',
    workDir: devDir,
    pgDataDir: path.join(devDir, 'pg'),
    pgPassword: 'forgeworks-dev',
    pgPort: opts.pgPort,
    temporalPort: opts.temporalPort,
    temporalUiPort: opts.uiPort,
    temporalDbFile: path.join(devDir, 'temporal.db'),
    temporalUiCodecEndpoint: `http://127.0.0.1:${opts.port}/codec`,
    masterKeyFile: path.join(repoRoot, '.forgeworks', 'master.key'),
    log,
  });
  if (stopping) return;
  if (opts.sandboxes) {
    sandboxes = await startAllSandboxes(stack.info.databaseUrl);
    fs.writeFileSync(path.join(devDir, 'sandboxes.json'),
      `${JSON.stringify(Object.fromEntries(sandboxes.map((s) => [s.system, s.url])), null, 2)}\n`);
  }
  const key = adminKey();
  const sandboxed = sandboxEnv(sandboxes);
  const env = { ...process.env, ...stackEnv(stack.info), ...sandboxed,
    // Sandboxes listen on loopback: in dev, connectors may reach 127.0.0.1 (nothing else private),
    // besides what FORGE_EGRESS_ALLOW already names.
    FORGE_EGRESS_ALLOW: [...new Set([process.env.FORGE_EGRESS_ALLOW ?? '127.0.0.1', sandboxed.FORGE_EGRESS_ALLOW]
      .flatMap((list) => (list ?? '').split(/[\s,]+/)).filter(Boolean))].join(','),
    FORGE_ADMIN_KEY: key.value, PORT: String(opts.port), HOST: '127.0.0.1',
    // The Temporal Web UI may call the gateway's payload codec endpoint from the browser.
    ...(stack.info.temporalUiUrl ? { FORGE_CODEC_UI_ORIGIN: stack.info.temporalUiUrl } : {}) };
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  for (const [name, entry] of [['worker', 'src/worker.ts'], ['gateway', 'src/main.ts']] as const) {
    const own = name === 'worker' ? { ...env, NODE_OPTIONS: workerNodeOptions(env) } : env;
    const proc = startProcess(name, tsx, [path.join(repoRoot, entry)], path.join(devDir, `${name}.log`), own);
    void proc.exited.then((code) => {
      if (!stopping) void stopAll(1, `the ${name} exited (${code}); see ${relative(proc.logFile)}`);
    });
    processes.push(proc);
  }
  const gatewayUrl = `http://127.0.0.1:${opts.port}`;
  await waitForHealth(gatewayUrl, 120_000);
  if (!await waitForWorker(stack.info.temporalAddress, process.env.TEMPORAL_TASK_QUEUE ?? 'forgeworks', 180_000, () => !stopping) && !stopping) {
    throw new PlainError(`the worker did not poll Temporal's task queue within 180 s; see ${relative(devDir)}/worker.log`);
  }
  if (stopping) return;
  let demo: Demo | null = null;
  if (opts.sandboxes) {
    demo = await createDemo({ gatewayUrl, adminKey: key.value, sandboxes, dir: path.join(devDir, 'demo') });
  }
  const vault = stack.info.vault.address
    ? `${stack.info.vault.address} (${stack.info.vaultBinary?.includes('bao-') ? `OpenBao ${OPENBAO_VERSION}` : 'Vault'}, dev mode)`
    : `not running: ${'reason' in stack.info.vault ? stack.info.vault.reason : ''}`;
  process.stdout.write([
    '',
    upBlock({
      seconds: Math.round((Date.now() - started) / 1000), gatewayUrl, temporalUiUrl: stack.info.temporalUiUrl,
      temporalAddress: stack.info.temporalAddress, databaseUrl: stack.info.databaseUrl, vault,
      adminKey: key.value, adminKeyRef: key.ref, logs: `${relative(devDir)}/*.log`,
    }),
    demo ? demoSteps(gatewayUrl, demo) : nextSteps(gatewayUrl, key.ref),
    stopHint,
  ].join('\n'));
}

main().catch((err: unknown) => {
  if (isPlainError(err)) {
    log(err.message);
  } else {
    const detail = path.join(devDir, 'dev-error.log');
    try { fs.mkdirSync(devDir, { recursive: true }); fs.writeFileSync(detail, `${(err as Error)?.stack ?? String(err)}\n`); } catch { /* best effort */ }
    log(`failed: ${String((err as Error)?.message ?? err).split('\n')[0]} (details: ${relative(detail)})`);
  }
  void stopAll(1, 'start failed');
});

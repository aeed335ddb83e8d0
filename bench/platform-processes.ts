import os from 'node:os';
import path from 'node:path';
import { startProcess, type ManagedProcess } from '../scripts/services/child';
import { freePort } from '../scripts/services/free-port';
import { workerNodeOptions } from '../scripts/services/worker-heap';
import { waitForWorker } from '../scripts/services/worker-ready';
import { workerProcessEnv, type LoadHarness } from '../test/helpers/load-harness';

export interface PlatformProcess {
  logFile: string;
  stop(): Promise<void>;
}

export interface GatewayProcess extends PlatformProcess {
  url: string;
}

const ROOT = path.resolve(__dirname, '..');

/**
 * With BENCH_CPU_PROFILE_DIR set, the process writes a V8 CPU profile there when it stops (open it in
 * Chrome DevTools or speedscope): where a part's CPU goes, process by process.
 */
export function profileArgs(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir, name)}`] : [];
}

/** `tsx <entry>` in a process group of its own, stopped with the bench however it ends. */
function startEntry(name: string, entry: string, env: NodeJS.ProcessEnv): { proc: ManagedProcess; logFile: string; stop(): Promise<void> } {
  const logFile = path.join(os.tmpdir(), `forge-bench-${name}-${process.pid}.log`);
  const proc = startProcess(name, path.join(ROOT, 'node_modules', '.bin', 'tsx'), [...profileArgs(name), path.join(ROOT, entry)], logFile, env);
  const stopOnExit = () => { if (proc.child.pid) try { process.kill(-proc.child.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.once('exit', stopOnExit);
  return { proc, logFile, stop: async () => { process.off('exit', stopOnExit); await proc.stop(30_000); } };
}

/**
 * The worker in a process of its own, as `npm run dev` and a deployment run it, so its memory and
 * CPU are its own.
 */
export async function startWorkerProcess(h: LoadHarness, name = 'worker'): Promise<PlatformProcess> {
  const env = workerProcessEnv(h.config);
  const { proc, logFile, stop } = startEntry(name, 'src/worker.ts', { ...env, NODE_OPTIONS: workerNodeOptions(env) });
  if (!await waitForWorker(h.config.TEMPORAL_ADDRESS, h.config.TEMPORAL_TASK_QUEUE, 180_000, () => proc.running())) {
    await stop();
    throw new Error(`the bench's ${name} did not poll Temporal within 180 s; see ${logFile}`);
  }
  return { logFile, stop };
}

/**
 * `count` workers on the task queue, each a process of its own, as a deployment scales them
 * (Temporal hands each activity to whichever polls first): one worker's JavaScript runs on one core.
 */
export async function startWorkerProcesses(h: LoadHarness, count: number): Promise<PlatformProcess> {
  const started: PlatformProcess[] = [];
  const stopAll = async () => { await Promise.all(started.map((w) => w.stop())); };
  try {
    for (let i = 1; i <= count; i++) started.push(await startWorkerProcess(h, count === 1 ? 'worker' : `worker-${i}`));
  } catch (err) {
    await stopAll();
    throw err;
  }
  return { logFile: started.map((w) => w.logFile).join(', '), stop: stopAll };
}

/**
 * A gateway in a process of its own on the harness's database and Temporal (the harness's own,
 * in-process gateway made the tenant and connection): the bench sends its loads here, so the
 * gateway's memory is measured apart from the bench's own client.
 */
export async function startGatewayProcess(h: LoadHarness): Promise<GatewayProcess> {
  const port = await freePort();
  const { proc, logFile, stop } = startEntry('gateway', 'src/main.ts', { ...workerProcessEnv(h.config), PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    const healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (healthy) return { url, logFile, stop };
    if (!proc.running() || Date.now() > deadline) {
      await stop();
      throw new Error(`the bench's gateway did not answer /health within 180 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

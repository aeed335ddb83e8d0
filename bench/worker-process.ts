import os from 'node:os';
import path from 'node:path';
import { startProcess } from '../scripts/services/child';
import { waitForWorker } from '../scripts/services/worker-ready';
import { workerProcessEnv, type LoadHarness } from '../test/helpers/load-harness';

export interface WorkerProcess {
  logFile: string;
  stop(): Promise<void>;
}

/**
 * The worker in a process of its own, as `npm run dev` and a deployment run it: the bench process
 * keeps the gateway (and the bench's own calls), so each process's memory and CPU are its own.
 */
export async function startWorkerProcess(h: LoadHarness): Promise<WorkerProcess> {
  const root = path.resolve(__dirname, '..');
  const logFile = path.join(os.tmpdir(), `forge-bench-worker-${process.pid}.log`);
  const worker = startProcess('worker', path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'src', 'worker.ts')],
    logFile, workerProcessEnv(h.config));
  const stopOnExit = () => { if (worker.child.pid) try { process.kill(-worker.child.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.once('exit', stopOnExit);
  const stop = async () => { process.off('exit', stopOnExit); await worker.stop(30_000); };
  if (!await waitForWorker(h.config.TEMPORAL_ADDRESS, h.config.TEMPORAL_TASK_QUEUE, 180_000, () => worker.running())) {
    await stop();
    throw new Error(`the bench's worker did not poll Temporal within 180 s; see ${logFile}`);
  }
  return { logFile, stop };
}

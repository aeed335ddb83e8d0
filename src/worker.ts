import path from 'node:path';
import { DefaultLogger, NativeConnection, Worker, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { createActivities } from '../activities';
import { loadConfig, type AppConfig } from './platform/config';
import { createCredentialStore } from './platform/credentials';
import type { Pool } from 'pg';
import { createPool, poolLimits } from './platform/db/pool';
import { migrate } from './platform/db/migrate';
import { rootLogger } from './platform/logger';
import { configureEgress } from './platform/network';
import { RequestBudgetStore } from './platform/rate-budget';
import { temporalDataConverter } from './platform/temporal-codec';

export const WORKFLOWS_PATH = path.join(__dirname, '..', 'workflows', 'index.ts');

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped (after shutdown()). */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;
function installRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // The SDK's own logs (and workflow/activity loggers) go through pino, so through the redactor.
  const logger = new DefaultLogger('INFO', ({ level, message, meta }) => {
    const method = level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : level === 'INFO' ? 'info' : 'debug';
    rootLogger[method]({ ...meta }, message);
  });
  Runtime.install({ logger, telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } } });
}

/** Builds and starts a worker on the configured task queue; the caller owns its lifetime. */
export async function startWorker(config: AppConfig): Promise<RunningWorker> {
  installRuntime();
  configureEgress(config.FORGE_EGRESS_ALLOW);
  const pool = createPool(config.DATABASE_URL, poolLimits(config));
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const credentials = createCredentialStore(config, pool);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    // Payloads and failures are encrypted before they reach Temporal (histories hold no clear data).
    dataConverter: temporalDataConverter(config),
    activities: createActivities({ pool, credentials, loadSegmentLanes: config.FORGE_LOAD_SEGMENT_LANES }),
    bundlerOptions: { ignoreModules: [] },
  });
  const budgetSweep = sweepIdleBudgets(pool);
  const done = worker.run().finally(async () => {
    clearInterval(budgetSweep);
    credentials.close?.();
    await connection.close();
    await pool.end();
  });
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

/** How often a worker removes request budgets nobody drew on for an hour (RequestBudgetStore.forgetIdle). */
const BUDGET_SWEEP_EVERY_MS = 10 * 60_000;

function sweepIdleBudgets(pool: Pool): NodeJS.Timeout {
  const store = new RequestBudgetStore(pool);
  const timer = setInterval(() => {
    store.forgetIdle().catch((err: unknown) => rootLogger.warn({ err }, 'removing idle request budgets failed'));
  }, BUDGET_SWEEP_EVERY_MS);
  timer.unref();
  return timer;
}

async function main() {
  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const running = await startWorker(config);
  rootLogger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS }, 'worker started');
  const stop = () => { void running.shutdown(); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await running.done;
  rootLogger.info('worker stopped');
}

if (require.main === module) {
  main().catch((err) => {
    rootLogger.fatal({ err }, 'worker failed');
    process.exit(1);
  });
}

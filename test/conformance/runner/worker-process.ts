import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProcess, type ManagedProcess } from '../../../scripts/services/child';
import type { AppConfig } from '../../../src/platform/config';

const root = path.resolve(__dirname, '..', '..', '..');

/**
 * The real worker (src/worker.ts) as its own process, as it runs in production: its log is a file
 * the canary scenario reads (at debug level, so every line a secret could hide in is written).
 * Restarting it is a graceful stop (SIGTERM: in-flight activities finish) and a new process.
 */
export class WorkerProcess {
  private current: ManagedProcess | null = null;
  private starts = 0;
  readonly logFiles: string[] = [];

  constructor(private readonly config: AppConfig, private readonly name: string) {}

  start(): void {
    if (this.current) throw new Error('the worker is already running');
    this.starts++;
    const logFile = path.join(os.tmpdir(), `forge-conformance-${this.name}-${process.pid}-${this.starts}.log`);
    this.logFiles.push(logFile);
    // Every config value is forwarded, so settings added to AppConfig later reach the worker too.
    const fromConfig = Object.fromEntries(Object.entries(this.config).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)]));
    this.current = startProcess(`worker-${this.name}-${this.starts}`, path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'src', 'worker.ts')],
      logFile, { ...process.env, ...fromConfig, LOG_LEVEL: 'debug' });
  }

  async stop(): Promise<void> {
    const running = this.current;
    this.current = null;
    await running?.stop(15_000);
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  logs(): string {
    return this.logFiles.filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  }

  removeLogs(): void {
    for (const f of this.logFiles) fs.rmSync(f, { force: true });
  }
}

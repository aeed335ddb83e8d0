import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Stops the process: SIGTERM, then SIGKILL after graceMs. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns a service with its output going to a log file (never to our stdout, where it would
 * interleave with test output). The process is put in its own group so a stop reaches its children.
 */
export function startProcess(name: string, command: string, args: string[], logFile: string,
  env: NodeJS.ProcessEnv = process.env): ManagedProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', out, out], env, detached: true });
  fs.closeSync(out);
  child.unref();
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const killGroup = (signal: NodeJS.Signals) => {
    try { if (child.pid) process.kill(-child.pid, signal); } catch { /* already gone */ }
  };
  return {
    name, child, logFile,
    async stop(graceMs = 5000) {
      if (exited) return;
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Rejects with the tail of the log if the process exits before `ready` resolves. */
export async function untilReady(proc: ManagedProcess, ready: Promise<void>): Promise<void> {
  const died = new Promise<never>((_, reject) => proc.child.once('exit', (code) => {
    const tail = fs.existsSync(proc.logFile) ? fs.readFileSync(proc.logFile, 'utf8').slice(-2000) : '';
    reject(new Error(`${proc.name} exited with code ${code} before it was ready. Log ${proc.logFile}:\n${tail}`));
  }));
  await Promise.race([ready, died]);
}

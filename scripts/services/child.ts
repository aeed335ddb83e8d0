import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { signalGroup } from './process-identity';
import { supervisor } from './supervisor';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string | null>;
  /** False once it has exited: readiness checks stop polling a process that is gone. */
  running(): boolean;
  /** Stops the process group: stopSignal (SIGTERM), then SIGKILL after graceMs. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface ProcessOptions {
  /** The signal that asks the service to stop cleanly (Postgres: SIGINT, its fast shutdown). */
  stopSignal?: NodeJS.Signals;
  /** Run as this account (embedded Postgres when we are root). */
  uid?: number;
  gid?: number;
  /** A task we wait for (initdb): it keeps our event loop alive until it exits. Services do not. */
  awaited?: boolean;
  /** Leave stdout out of the log (a server that prints a secret there); stderr is still logged. */
  discardStdout?: boolean;
}

/**
 * Spawns a service with its output going to a log file (never to our stdout, where it would
 * interleave with test output). The process leads a process group of its own, so a stop reaches
 * its children too, and the supervisor stops the group should this process die first.
 */
export function startProcess(name: string, command: string, args: string[], logFile: string,
  env: NodeJS.ProcessEnv = process.env, options: ProcessOptions = {}): ManagedProcess {
  const out = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['ignore', options.discardStdout ? 'ignore' : out, out], env, detached: true,
      uid: options.uid, gid: options.gid });
  } finally {
    fs.closeSync(out);
  }
  const pgid = child.pid;
  if (pgid) supervisor.track(name, pgid);
  if (!options.awaited) child.unref();
  let code: number | string | null | undefined = child.exitCode ?? undefined;
  const exited = new Promise<number | string | null>((resolve) => {
    if (code !== undefined) resolve(code);
    child.once('exit', (c, signal) => { code = c ?? signal; resolve(code); });
    child.once('error', (err) => { code = `spawn failed: ${err.message}`; resolve(code); });
  });
  let stopping: Promise<void> | null = null;
  return {
    name, child, logFile, exited,
    running: () => code === undefined,
    stop(graceMs = 5000) {
      stopping ??= (async () => {
        if (!pgid) return;
        if (code === undefined) {
          signalGroup(pgid, options.stopSignal ?? 'SIGTERM');
          const timer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }
        signalGroup(pgid, 'SIGKILL'); // whatever the leader left behind in its group
        supervisor.untrack(pgid);
      })();
      return stopping;
    },
  };
}

/** Rejects with the tail of the log if the process exits before `ready` resolves. */
export async function untilReady(proc: ManagedProcess, ready: Promise<void>): Promise<void> {
  const died = proc.exited.then((code) => {
    const tail = fs.existsSync(proc.logFile) ? fs.readFileSync(proc.logFile, 'utf8').slice(-2000) : '';
    throw new Error(`${proc.name} exited (${code}) before it was ready. Log ${proc.logFile}:\n${tail}`);
  });
  died.catch(() => {}); // only the race below reports it
  await Promise.race([ready, died]);
}

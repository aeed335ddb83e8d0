import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PlainError } from './plain-error';
import { commandOf, isAlive, startTimeOf, stopGroup } from './process-identity';

/** One service process group this process started and has not stopped yet. */
export interface TrackedGroup {
  name: string;
  pgid: number;
  startTime?: string;
}

interface PidFile {
  owner: { pid: number; startTime?: string };
  groups: TrackedGroup[];
}

/**
 * Makes sure every service this process starts dies with it, however it dies:
 * - each service runs in a process group of its own (child.ts), stopped as a group;
 * - a reaper (reaper.mjs), in a session of its own, is told each group; when this process exits —
 *   SIGKILL included — its end of the pipe closes and the reaper stops the groups still listed;
 * - with a pid file (npm run dev), what an earlier run left behind anyway (the reaper killed too)
 *   is recognised by pid and start time and stopped at the next start.
 */
export class Supervisor {
  private reaper: ChildProcess | null = null;
  private readonly groups = new Map<number, TrackedGroup>();
  private pidFile: string | null = null;

  /** Records the tracked groups in `file` from now on (see stopLeftovers). */
  usePidFile(file: string): void {
    this.pidFile = file;
    this.writePidFile();
  }

  track(name: string, pgid: number): void {
    this.groups.set(pgid, { name, pgid, startTime: startTimeOf(pgid) });
    this.reaperStdin()?.write(`+${pgid}\n`);
    this.writePidFile();
  }

  untrack(pgid: number): void {
    if (!this.groups.delete(pgid)) return;
    this.reaperStdin()?.write(`-${pgid}\n`);
    this.writePidFile();
  }

  tracked(): TrackedGroup[] {
    return [...this.groups.values()];
  }

  /** The reaper's pid (tests use it), once a group has been tracked. */
  reaperPid(): number | undefined {
    return this.reaper?.pid;
  }

  private reaperStdin(): NodeJS.WritableStream | null {
    if (!this.reaper) {
      const child = spawn(process.execPath, [path.join(__dirname, 'reaper.mjs')],
        { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
      child.on('error', () => { this.reaper = null; });
      child.stdin!.on('error', () => { /* the reaper died: the pid file still covers us */ });
      // Neither the reaper nor the pipe may keep this process alive.
      child.unref();
      (child.stdin as unknown as { unref?: () => void }).unref?.();
      this.reaper = child;
    }
    return this.reaper.stdin;
  }

  /** Removes the pid file after a clean stop. */
  releasePidFile(): void {
    if (this.pidFile) fs.rmSync(this.pidFile, { force: true });
    this.pidFile = null;
  }

  private writePidFile(): void {
    if (!this.pidFile) return;
    const content: PidFile = { owner: { pid: process.pid, startTime: startTimeOf(process.pid) }, groups: this.tracked() };
    fs.writeFileSync(this.pidFile, JSON.stringify(content, null, 2));
  }
}

/** The supervisor of this process: child.ts tracks every service it starts with it. */
export const supervisor = new Supervisor();

function sameProcess(pid: number, startTime: string | undefined): boolean {
  if (!isAlive(pid)) return false;
  const now = startTimeOf(pid);
  return startTime !== undefined && now !== undefined && now === startTime;
}

/**
 * Before a start: stops what an earlier run recorded in `pidFile` and left running. Refuses (one
 * plain line) when the run that wrote it is still alive: two `npm run dev` in one clone would share
 * ports and data. Returns the names of what it stopped.
 */
export async function stopLeftovers(pidFile: string, log: (m: string) => void, what = 'npm run dev'): Promise<string[]> {
  let recorded: PidFile;
  try {
    recorded = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as PidFile;
  } catch {
    return [];
  }
  if (recorded.owner.pid !== process.pid && sameProcess(recorded.owner.pid, recorded.owner.startTime)) {
    throw new PlainError(`another ${what} is running from this directory (pid ${recorded.owner.pid}: ` +
      `${commandOf(recorded.owner.pid) ?? '?'}); stop it first (kill ${recorded.owner.pid})`);
  }
  const left = recorded.groups.filter((group) => sameProcess(group.pgid, group.startTime));
  for (const group of left) log(`stopping ${group.name} (pid ${group.pgid}), left running by an earlier ${what}`);
  await Promise.all(left.map((group) => stopGroup(group.pgid, 5000)));
  fs.rmSync(pidFile, { force: true });
  return left.map((group) => group.name);
}

import fs from 'node:fs';

/**
 * A process's start time (clock ticks since boot, from /proc/<pid>/stat): with the pid, it names one
 * process for good, so a recycled pid is never mistaken for ours. Undefined where /proc is missing
 * or the process is gone.
 */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The command line of a process, shortened for a message; undefined when it cannot be read. */
export function commandOf(pid: number, max = 100): string | undefined {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    if (argv.length === 0) return undefined;
    const text = [argv[0].split('/').pop(), ...argv.slice(1)].join(' ');
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Live (not zombie) processes of a process group, from /proc; undefined without /proc. */
export function groupMembers(pgid: number): number[] | undefined {
  let pids: string[];
  try { pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return undefined; }
  return pids.filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[2]) === pgid && fields[0] !== 'Z';
    } catch {
      return false;
    }
  }).map(Number);
}

/** True while a live process of the group exists (an exited one waiting to be reaped does not count). */
export function groupAlive(pgid: number): boolean {
  const members = groupMembers(pgid);
  if (members) return members.length > 0;
  try { process.kill(-pgid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pgid, signal); } catch { /* already gone */ }
}

async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** `first` (SIGTERM) to the group, SIGKILL to what is left after graceMs; resolves when the group is gone. */
export async function stopGroup(pgid: number, graceMs: number, first: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  signalGroup(pgid, first);
  if (await until(() => !groupAlive(pgid), graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await until(() => !groupAlive(pgid), 2000);
}

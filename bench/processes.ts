import fs from 'node:fs';

/**
 * Samples the resident set of this process and of every process it started (Temporal's dev server,
 * Postgres and its backends), keeping each process's largest: "peak RSS per process" in the table.
 * It also adds up the CPU time each kind of process spent while sampling (all Postgres backends
 * together): what bounded a part on a machine of two cores.
 */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private readonly cpuAtStart = new Map<number, { name: string; ticks: number }>();
  private readonly cpuLast = new Map<number, { name: string; ticks: number }>();
  private readonly timer: NodeJS.Timeout;

  private firstSample = true;

  constructor(everyMs = 250) {
    this.sample();
    this.firstSample = false;
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** Stops sampling; "bench 412, postgres 95, temporal 130" (MiB), largest first. */
  stop(): string {
    clearInterval(this.timer);
    this.sample();
    return [...this.peaks].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => `${name} ${(bytes / 1024 / 1024).toFixed(0)}`).join(', ');
  }

  /** CPU seconds spent since the sampler started, by process name: "bench 21.3, node 9.8, postgres 6.1". */
  cpu(): string {
    return describeCpu(this.cpuSeconds());
  }

  /** CPU seconds by process name since the sampler started, sampled now. */
  cpuSeconds(): Map<string, number> {
    this.sample();
    const spent = new Map<string, number>();
    for (const [pid, last] of this.cpuLast) {
      const ticks = last.ticks - (this.cpuAtStart.get(pid)?.ticks ?? 0);
      spent.set(last.name, (spent.get(last.name) ?? 0) + ticks / CLOCK_TICKS_PER_SECOND);
    }
    return spent;
  }

  private sample(): void {
    this.keep('bench', process.memoryUsage().rss);
    this.keepCpu(process.pid, 'bench');
    for (const { pid, name } of descendants(process.pid)) {
      const rss = residentBytes(pid);
      if (rss !== undefined) this.keep(name, rss);
      this.keepCpu(pid, name);
    }
  }

  private keepCpu(pid: number, name: string): void {
    const ticks = cpuTicks(pid);
    if (ticks === undefined) return;
    // A process already running when sampling began counts from then; one started later, from 0.
    if (!this.cpuAtStart.has(pid)) this.cpuAtStart.set(pid, { name, ticks: this.firstSample ? ticks : 0 });
    this.cpuLast.set(pid, { name, ticks });
  }

  private keep(name: string, bytes: number): void {
    this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, bytes));
  }
}

function descendants(root: number): Array<{ pid: number; name: string }> {
  const parents = new Map<number, { ppid: number; name: string }>();
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = safeRead(`/proc/${entry}/stat`);
    const match = stat && /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (match) parents.set(Number(entry), { name: match[1], ppid: Number(match[2]) });
  }
  const isBelow = (pid: number): boolean => {
    for (let p = parents.get(pid)?.ppid, hops = 0; p !== undefined && hops < 16; p = parents.get(p)?.ppid, hops++) if (p === root) return true;
    return false;
  };
  return [...parents].filter(([pid]) => isBelow(pid)).map(([pid, { name }]) => ({ pid, name: role(pid) ?? name }));
}

/** Our own Node processes by what they run (all are "node" to the kernel). */
function role(pid: number): string | undefined {
  const cmdline = safeRead(`/proc/${pid}/cmdline`) ?? '';
  if (cmdline.includes('src/worker.ts')) return 'worker';
  if (cmdline.includes('sandboxes/cli.ts')) return 'sandbox';
  if (cmdline.includes('src/main.ts')) return 'gateway';
  return undefined;
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of a process, in clock ticks. */
function cpuTicks(pid: number): number | undefined {
  const stat = safeRead(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function residentBytes(pid: number): number | undefined {
  const kb = /VmRSS:\s+(\d+) kB/.exec(safeRead(`/proc/${pid}/status`) ?? '');
  return kb ? Number(kb[1]) * 1024 : undefined;
}

function safeRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** "bench 21.3, postgres 6.1": largest first, under 0.1 s left out. */
export function describeCpu(spent: Map<string, number>, format = (s: number) => s.toFixed(1), least = 0.1): string {
  return [...spent].filter(([, s]) => s >= least).sort((a, b) => b[1] - a[1]).map(([name, s]) => `${name} ${format(s)}`).join(', ');
}


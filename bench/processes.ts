import fs from 'node:fs';

/**
 * Samples the resident set of this process and of every process it started (Temporal's dev server,
 * Postgres and its backends), keeping each process's largest: "peak RSS per process" in the table.
 */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 250) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** Stops sampling; "bench 412, postgres 95, temporal 130" (MiB), largest first. */
  stop(): string {
    clearInterval(this.timer);
    this.sample();
    return [...this.peaks].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => `${name} ${(bytes / 1024 / 1024).toFixed(0)}`).join(', ');
  }

  private sample(): void {
    this.keep('bench', process.memoryUsage().rss);
    for (const { pid, name } of descendants(process.pid)) {
      const rss = residentBytes(pid);
      if (rss !== undefined) this.keep(name, rss);
    }
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
  return [...parents].filter(([pid]) => isBelow(pid)).map(([pid, { name }]) => ({ pid, name }));
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

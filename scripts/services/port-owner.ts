import fs from 'node:fs';
import net from 'node:net';
import { PlainError } from './plain-error';
import { commandOf } from './process-identity';

/** True when host:port can be bound now. */
export function canListen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Inodes of the sockets listening on `port` (any address), from /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try { text = fs.readFileSync(table, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A: LISTEN
      const localPort = parseInt(cols[1].split(':').pop() ?? '', 16);
      if (localPort === port) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/**
 * The process listening on `port`, found through /proc (Linux): its pid and command line. Undefined
 * when it cannot be told (another user's process, no /proc).
 */
export function portHolder(port: number): { pid: number; command: string } | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try { pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return undefined; }
  for (const pid of pids) {
    let fds: string[];
    try { fds = fs.readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      let target: string;
      try { target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) return { pid: Number(pid), command: commandOf(Number(pid)) ?? '?' };
    }
  }
  return undefined;
}

export interface PortClaim {
  port: number;
  /** What we want it for: "Temporal", "the gateway". */
  purpose: string;
  /** How to choose another: "--temporal-port <n>". */
  option: string;
}

/** One line naming who holds the port and what to do about it. */
export function portInUseMessage(claim: PortClaim): string {
  const holder = portHolder(claim.port);
  const who = holder ? `pid ${holder.pid} (${holder.command})` : `another process (see: ss -ltnp 'sport = :${claim.port}')`;
  const stop = holder ? `stop it (kill ${holder.pid})` : 'stop it';
  return `port ${claim.port} (${claim.purpose}) is in use by ${who}; ${stop} or choose another port with ${claim.option}`;
}

/** Throws a PlainError naming the first port of `claims` that cannot be bound on 127.0.0.1. */
export async function assertPortsFree(claims: PortClaim[]): Promise<void> {
  for (const claim of claims) {
    if (!(await canListen(claim.port))) throw new PlainError(portInUseMessage(claim));
  }
}

// The reaper: a watchdog that outlives the process that started it, for one purpose: to stop the
// process groups that process started, however it dies (even SIGKILL). Started by supervisor.ts in
// a session of its own (so Ctrl-C and a closed terminal do not reach it). Its parent writes
// `+<pgid>` and `-<pgid>` lines on our stdin; when stdin closes (the parent exited, one way or
// another) we stop every group still listed: SIGTERM, then SIGKILL after a grace period.
import fs from 'node:fs';

const graceMs = Number(process.env.FORGE_REAPER_GRACE_MS ?? 5000);
const groups = new Set();
let pending = '';

/** Whether a live (not zombie) process of the group exists: /proc where there is one, else kill(0). */
function alive(pgid) {
  let pids;
  try { pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { pids = null; }
  if (!pids) {
    try { process.kill(-pgid, 0); return true; } catch (err) { return err.code === 'EPERM'; }
  }
  return pids.some((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[2]) === pgid && fields[0] !== 'Z';
    } catch {
      return false;
    }
  });
}
function signal(pgid, sig) {
  try { process.kill(-pgid, sig); } catch { /* gone */ }
}

let reaping = false;
function reap() {
  if (reaping) return;
  reaping = true;
  const left = [...groups].filter(alive);
  if (left.length === 0) process.exit(0);
  for (const pgid of left) signal(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  const timer = setInterval(() => {
    const still = left.filter(alive);
    if (still.length === 0) process.exit(0);
    if (Date.now() >= deadline) {
      for (const pgid of still) signal(pgid, 'SIGKILL');
      clearInterval(timer);
      setTimeout(() => process.exit(0), 200);
    }
  }, 100);
}

process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
process.on('SIGTERM', reap);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let nl;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, nl).trim();
    pending = pending.slice(nl + 1);
    const pgid = Number(line.slice(1));
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line[0] === '+') groups.add(pgid);
    else if (line[0] === '-') groups.delete(pgid);
  }
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
process.stdin.on('close', reap);

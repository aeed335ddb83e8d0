import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/**
 * Runs `build` while holding a lock file next to the binary, so that two runs on one machine (a
 * test run beside `npm run dev`, say) never build the same binary at once: the second one waits and
 * then finds the binary already there. A lock left by a dead process is taken over.
 */
export function withBuildLock<T>(lockFile: string, build: () => T, log: (m: string) => void): T {
  for (let waitedLogged = false; ;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(fs.readFileSync(lockFile, 'utf8').trim() || '0');
      if (!holder || !alive(holder)) { fs.rmSync(lockFile, { force: true }); continue; }
      if (!waitedLogged) { log(`waiting for pid ${holder}, which is fetching or building it`); waitedLogged = true; }
      execFileSync('sleep', ['2']);
    }
  }
  try { return build(); } finally { fs.rmSync(lockFile, { force: true }); }
}

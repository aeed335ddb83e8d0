// Makes sure Debian's `chromium` is at /usr/bin/chromium for the console's browser tests
// (test/console/). Installs it with apt-get when we are root and apt-get is there; never downloads a
// browser build of its own. Prints one line saying what it did, and exits 0 even when it could not:
// the tests then skip with one line of their own.
//   node scripts/ensure-chromium.mjs          (or import { ensureChromium } from it)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';

function run(cmd, args, timeoutMs) {
  execFileSync(cmd, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** @returns {{ path: string | null, note: string }} */
export function ensureChromium({ log = (m) => process.stderr.write(`[chromium] ${m}\n`) } = {}) {
  if (fs.existsSync(CHROMIUM)) return { path: CHROMIUM, note: 'present' };
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = ['/usr/bin/apt-get', '/bin/apt-get'].find((p) => fs.existsSync(p));
  if (!isRoot || !apt || process.env.FORGE_NO_APT === '1') {
    const why = !apt ? 'apt-get is not available' : !isRoot ? 'not root' : 'FORGE_NO_APT=1';
    return { path: null, note: `${CHROMIUM} is missing and cannot be installed here (${why}): apt-get install chromium` };
  }
  log(`${CHROMIUM} is missing: installing Debian's chromium package (apt-get install -y chromium)…`);
  const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
  try {
    run(apt, [...lockWait, 'install', '-y', '--no-install-recommends', 'chromium'], 600_000);
  } catch {
    // the package lists may be missing or stale on a fresh machine: refresh them once and retry
    try {
      run(apt, [...lockWait, 'update'], 300_000);
      run(apt, [...lockWait, 'install', '-y', '--no-install-recommends', 'chromium'], 600_000);
    } catch (err) {
      const stderr = String(err?.stderr ?? err?.message ?? err).trim().split('\n').slice(-1)[0];
      return { path: null, note: `apt-get install chromium failed: ${stderr}` };
    }
  }
  return fs.existsSync(CHROMIUM) ? { path: CHROMIUM, note: 'installed' } : { path: null, note: `apt-get installed chromium but ${CHROMIUM} is absent` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const { path, note } = ensureChromium();
  process.stderr.write(`[chromium] ${path ? `${path} (${note})` : note}\n`);
}

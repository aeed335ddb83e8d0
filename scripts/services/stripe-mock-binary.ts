import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withBuildLock } from './build-lock';
import { startProcess, untilReady } from './child';
import { freePort, waitForPort } from './free-port';
import { binDir } from './paths';

/**
 * Pinned: stripe-mock, Stripe's own stand-in that validates every request against Stripe's OpenAPI
 * description. 0.197.0 embeds the description of API version 2025-09-30.clover (its spec3.json's
 * info.version), the version the Stripe connector pins. Built with `go install` through the Go
 * module proxy, once, into ~/.cache/forgeworks/bin (outside the repository), with the description
 * it embeds copied beside it for the sandbox's spec checks.
 */
export const STRIPE_MOCK_VERSION = '0.197.0';
const MODULE = 'github.com/stripe/stripe-mock';
const binaryPath = path.join(binDir, `stripe-mock-${STRIPE_MOCK_VERSION}`);
const specPath = path.join(binDir, `stripe-mock-${STRIPE_MOCK_VERSION}.spec3.json`);

export interface StripeMock {
  binary: string;
  /** Stripe's OpenAPI description (spec3.json) that this stripe-mock embeds and validates against. */
  spec: string;
}

/** Why stripe-mock cannot be had on this machine (no Go toolchain), or undefined when it can. */
export function stripeMockUnavailable(): string | undefined {
  if (fs.existsSync(binaryPath) && fs.existsSync(specPath)) return undefined;
  try {
    execFileSync('go', ['version'], { stdio: 'ignore', timeout: 20000 });
    return undefined;
  } catch {
    return `Go is not installed: stripe-mock ${STRIPE_MOCK_VERSION} is built with \`go install ${MODULE}@v${STRIPE_MOCK_VERSION}\` (https://go.dev)`;
  }
}

/** True when the binary was built from the pinned module version (Go writes it into the build info). */
function builtFromPinnedVersion(file: string): boolean {
  try {
    const info = execFileSync('go', ['version', '-m', file], { encoding: 'utf8', timeout: 20000 });
    return new RegExp(`\\bmod\\s+${MODULE.replace(/\./g, '\\.')}\\s+v${STRIPE_MOCK_VERSION.replace(/\./g, '\\.')}\\b`).test(info);
  } catch {
    return false;
  }
}

function build(log: (m: string) => void): void {
  const gobin = fs.mkdtempSync(path.join(binDir, 'gobuild-'));
  try {
    log(`building stripe-mock ${STRIPE_MOCK_VERSION} from Go modules (a few minutes, once)`);
    execFileSync('go', ['install', '-trimpath', `${MODULE}@v${STRIPE_MOCK_VERSION}`],
      { stdio: 'inherit', env: { ...process.env, GOBIN: gobin, GOFLAGS: '-mod=mod' }, timeout: 30 * 60000 });
    const built = path.join(gobin, 'stripe-mock');
    if (!builtFromPinnedVersion(built)) throw new Error(`the stripe-mock built is not ${MODULE} v${STRIPE_MOCK_VERSION}`);
    fs.renameSync(built, binaryPath);
  } finally {
    fs.rmSync(gobin, { recursive: true, force: true });
  }
}

function copySpec(): void {
  const download = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${MODULE}@v${STRIPE_MOCK_VERSION}`],
    { encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' }, timeout: 10 * 60000 })) as { Dir?: string };
  if (!download.Dir) throw new Error(`go mod download did not say where ${MODULE}@v${STRIPE_MOCK_VERSION} is`);
  fs.copyFileSync(path.join(download.Dir, 'embedded', 'openapi', 'spec3.json'), specPath + '.tmp');
  fs.chmodSync(specPath + '.tmp', 0o644);
  fs.renameSync(specPath + '.tmp', specPath);
}

/** The pinned stripe-mock and the description it embeds, from the cache, else built (throws, saying why, when it cannot be). */
export function ensureStripeMock(log: (m: string) => void = console.error): StripeMock {
  if (fs.existsSync(binaryPath) && fs.existsSync(specPath)) return { binary: binaryPath, spec: specPath };
  const unavailable = stripeMockUnavailable();
  if (unavailable) throw new Error(unavailable);
  fs.mkdirSync(binDir, { recursive: true });
  return withBuildLock(binaryPath + '.lock', () => {
    const started = Date.now();
    if (!fs.existsSync(binaryPath)) build(log);
    if (!fs.existsSync(specPath)) copySpec();
    log(`stripe-mock ${STRIPE_MOCK_VERSION} ready at ${binaryPath} (${Math.round((Date.now() - started) / 1000)} s)`);
    return { binary: binaryPath, spec: specPath };
  }, log);
}

export interface RunningStripeMock {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Stops the process this call started. */
  stop(): Promise<void>;
}

/**
 * Starts the pinned stripe-mock on a free loopback port, over HTTP, with `-strict-version-check`
 * (a request whose Stripe-Version is not the version it describes is refused). Its log goes to a
 * temporary file, removed on stop.
 */
export async function startStripeMock(log: (m: string) => void = console.error): Promise<RunningStripeMock> {
  const { binary } = ensureStripeMock(log);
  const port = await freePort();
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-stripe-mock-'));
  const proc = startProcess('stripe-mock', binary, ['-http-addr', `127.0.0.1:${port}`, '-strict-version-check'], path.join(logDir, 'stripe-mock.log'));
  try {
    await untilReady(proc, waitForPort(port, 60000));
  } catch (err) {
    await proc.stop();
    fs.rmSync(logDir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await proc.stop();
      fs.rmSync(logDir, { recursive: true, force: true });
    },
  };
}

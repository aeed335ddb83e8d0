import path from 'node:path';
import { runner } from 'node-pg-migrate';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
const MIGRATIONS_TABLE = 'forge_migrations';

/** Applies (or, with direction 'down', reverts `count`) schema migrations; returns the names run. */
export async function migrate(databaseUrl: string, direction: 'up' | 'down' = 'up', count?: number): Promise<string[]> {
  // The worker and the gateway start side by side and both migrate: the second waits for the first's lock.
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(databaseUrl, direction, count);
    } catch (err) {
      if (attempt >= 100 || !/Another migration is already running/.test(String((err as Error).message))) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function runOnce(databaseUrl: string, direction: 'up' | 'down', count?: number): Promise<string[]> {
  const ran = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction,
    count: count ?? (direction === 'up' ? Infinity : 1),
    migrationsTable: MIGRATIONS_TABLE,
    singleTransaction: true,
    checkOrder: true,
    log: () => {},
    verbose: false,
  });
  return ran.map((m) => m.name);
}

import { Client } from 'pg';
import { migrate } from '../../src/platform/db/migrate';
import { testStack, uniqueName } from '../helpers/stack';

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

async function tables(url: string): Promise<string[]> {
  return withClient(url, async (c) => (await c.query<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).rows.map((r) => r.t));
}

describe('schema migrations on real Postgres', () => {
  const serverUrl = testStack().databaseUrl;
  const dbName = uniqueName('migrations').replace('-', '_');
  const url = (() => { const u = new URL(serverUrl); u.pathname = `/${dbName}`; return u.toString(); })();

  beforeAll(() => withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${dbName}`)));
  afterAll(() => withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)));

  it('goes up, all the way down, and up again to the same schema', async () => {
    const firstUp = await migrate(url, 'up');
    expect(firstUp.length).toBeGreaterThan(0);
    const schema = await tables(url);
    expect(schema).toEqual(expect.arrayContaining(['tenants', 'connections', 'forge_migrations']));

    expect(await migrate(url, 'up')).toEqual([]); // idempotent: nothing left to apply

    const down = await migrate(url, 'down', firstUp.length);
    expect(down).toEqual([...firstUp].reverse());
    expect(await tables(url)).toEqual(['forge_migrations']);

    expect(await migrate(url, 'up')).toEqual(firstUp);
    expect(await tables(url)).toEqual(schema);
  });
});

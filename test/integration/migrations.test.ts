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

  it("removes a load's records with the load, and no other load's (a trigger, not a per-row foreign key)", async () => {
    await migrate(url, 'up');
    await withClient(url, async (c) => {
      await c.query(`INSERT INTO tenants (id, name, api_key_hash) VALUES ('t_mig', 'mig', 'h_mig')`);
      await c.query(`INSERT INTO connections (id, tenant_id, connector, name) VALUES ('c_mig', 't_mig', 'hubspot', 'mig')`);
      for (const id of ['ld_gone', 'ld_kept']) {
        await c.query(`INSERT INTO loads (id, tenant_id, connection_id, connector, object, operation, natural_key, chunk_size, chunk_count, record_count)
          VALUES ($1, 't_mig', 'c_mig', 'hubspot', 'contacts', 'upsert', 'email', 100, 1, 2)`, [id]);
        await c.query(`INSERT INTO load_records (load_id, idx, chunk, record_key, data)
          SELECT $1, i, 0, 'k' || i, '{}'::jsonb FROM generate_series(0, 1) i`, [id]);
      }
      await c.query(`DELETE FROM loads WHERE id = 'ld_gone'`);
      const left = await c.query<{ load_id: string; n: number }>('SELECT load_id, count(*)::int AS n FROM load_records GROUP BY 1 ORDER BY 1');
      expect(left.rows).toEqual([{ load_id: 'ld_kept', n: 2 }]);
    });
  });
});

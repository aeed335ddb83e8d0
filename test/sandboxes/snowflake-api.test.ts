import type { RunningSandbox } from '../../sandboxes/kit';
import { startSnowflakeSandbox, type SnowflakeSandboxOptions } from '../../sandboxes/snowflake';
import { testStack } from '../helpers/stack';

// The Snowflake sandbox over real HTTP: statements run on Postgres after translation, binds never
// spliced, 202 + statement handles, partitions, Snowflake's error bodies, CHANGES on change-tracked tables.

/** "1796060000.123456000" -> "2026-11-30T17:33:20.123456Z" (microseconds kept). */
function isoOfEpoch(epoch: string): string {
  const [seconds, fraction = ''] = epoch.split('.');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction.padEnd(6, '0').slice(0, 6)}Z`;
}

type Answer = { status: number; headers: Headers; body: any };

async function client(sb: RunningSandbox) {
  const { credentials } = sb.credentials() as unknown as { credentials: { clientId: string; clientSecret: string; refreshToken: string } };
  const tokenRes = await fetch(`${sb.url}/oauth/token-request`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.refreshToken }).toString(),
  });
  const token = (await tokenRes.json() as { access_token: string }).access_token;
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${sb.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'x-snowflake-authorization-token-type': 'OAUTH', 'content-type': 'application/json', 'user-agent': 'forge-test/1.0' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  const run = (statement: string, binds: Array<string | null> = [], extra: Record<string, unknown> = {}, query = '') => call('POST', `/api/v2/statements${query}`, {
    statement, warehouse: 'FORGE_WH', database: 'FORGE_DB', schema: 'PUBLIC',
    bindings: Object.fromEntries(binds.map((value, i) => [String(i + 1), { type: 'TEXT', value }])), ...extra,
  });
  return { call, run };
}

async function withSandbox(options: SnowflakeSandboxOptions, body: (sb: RunningSandbox, c: Awaited<ReturnType<typeof client>>) => Promise<void>) {
  const sb = await startSnowflakeSandbox({ ...options, databaseUrl: testStack().databaseUrl });
  try {
    await body(sb, await client(sb));
  } finally {
    await sb.stop();
  }
}

describe('Snowflake sandbox', () => {
  it('runs bound values as values: quotes and semicolons round-trip and nothing else runs', async () => {
    await withSandbox({}, async (sb, { run }) => {
      const nasty = `O'Brien"; DROP TABLE CONTACTS; --`;
      const inserted = await run('INSERT INTO CONTACTS (EMAIL, LAST_NAME, AGE) VALUES (?, ?, ?), (?, ?, ?)', ['a@x.io', nasty, '41', 'b@x.io', 'Plain', null]);
      expect(inserted.status).toBe(200);
      expect(inserted.body).toMatchObject({ code: '090001', data: [['2']], stats: { numRowsInserted: 2 } });
      const read = await run('SELECT ID, EMAIL, LAST_NAME, AGE FROM CONTACTS WHERE EMAIL IN (?, ?) ORDER BY EMAIL', ['a@x.io', 'b@x.io']);
      expect(read.body.data).toEqual([['1', 'a@x.io', nasty, '41'], ['2', 'b@x.io', 'Plain', null]]);
      expect(read.body.resultSetMetaData.rowType.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual(['ID:fixed', 'EMAIL:text', 'LAST_NAME:text', 'AGE:fixed']);
      const state = (await (await fetch(`${sb.url}/__sandbox/state`)).json()) as { objects: { CONTACTS: Array<Record<string, unknown>> } };
      expect(state.objects.CONTACTS.map((r) => r.LAST_NAME)).toEqual([nasty, 'Plain']);
    });
  });

  it('answers MERGE with its inserted and updated counts (Postgres MERGE underneath)', async () => {
    await withSandbox({}, async (_sb, { run }) => {
      await run('INSERT INTO CONTACTS (EMAIL, FIRST_NAME) VALUES (?, ?)', ['a@x.io', 'Ann']);
      const merged = await run(`MERGE INTO CONTACTS T USING (SELECT ? AS EMAIL, ? AS FIRST_NAME, ? AS AGE UNION ALL SELECT ?, ?, ?) AS S ON T.EMAIL = S.EMAIL
        WHEN MATCHED THEN UPDATE SET FIRST_NAME = S.FIRST_NAME, AGE = S.AGE WHEN NOT MATCHED THEN INSERT (EMAIL, FIRST_NAME, AGE) VALUES (S.EMAIL, S.FIRST_NAME, S.AGE)`,
      ['a@x.io', 'Anna', '30', 'c@x.io', 'Cy', '22']);
      expect(merged.status).toBe(200);
      expect(merged.body.data).toEqual([['1', '1']]);
      expect(merged.body.resultSetMetaData.rowType.map((c: { name: string }) => c.name)).toEqual(['number of rows inserted', 'number of rows updated']);
      const read = await run('SELECT EMAIL, FIRST_NAME, AGE FROM CONTACTS ORDER BY EMAIL');
      expect(read.body.data).toEqual([['a@x.io', 'Anna', '30'], ['c@x.io', 'Cy', '22']]);
    });
  });

  it("refuses a bad column with Snowflake's invalid identifier error, naming the column", async () => {
    await withSandbox({}, async (_sb, { run }) => {
      const res = await run('INSERT INTO CONTACTS (EMAIL, SHOE_SIZE) VALUES (?, ?)', ['a@x.io', '44']);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: '000904', sqlState: '42000' });
      expect(res.body.message).toMatch(/invalid identifier 'SHOE_SIZE'/);
      expect(res.body.statementHandle).toMatch(/^[0-9a-f-]{36}$/);
      const numeric = await run('UPDATE CONTACTS SET AGE = ? WHERE EMAIL = ?', ['old', 'a@x.io']);
      expect(numeric.body).toMatchObject({ code: '100038', sqlState: '22018', message: "Numeric value 'old' is not recognized" });
      const unknown = await run('SELECT * FROM NOPE');
      expect(unknown.body).toMatchObject({ code: '002003', sqlState: '42S02' });
      const two = await run('SELECT 1; SELECT 2');
      expect(two.body).toMatchObject({ code: '000008' });
      const noWarehouse = await run('SELECT 1', [], { warehouse: undefined });
      expect(noWarehouse.body).toMatchObject({ code: '000606', sqlState: '57P03' });
    });
  });

  it('answers 202 with a statement handle when a statement outlasts the wait, then the result on GET', async () => {
    await withSandbox({ syncWaitMs: 20, statementDelayMs: 400 }, async (_sb, { run, call }) => {
      const accepted = await run('SELECT ? AS V', ['x']);
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({ code: '333334' });
      const handle = accepted.body.statementHandle as string;
      let res: Answer = await call('GET', `/api/v2/statements/${handle}`);
      while (res.status === 202) res = await call('GET', `/api/v2/statements/${handle}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([['x']]);
      const cancelled = await run('SELECT 1', [], {}, '?async=true');
      expect(cancelled.status).toBe(202);
      expect((await call('POST', `/api/v2/statements/${cancelled.body.statementHandle}/cancel`)).status).toBe(200);
      let after: Answer = await call('GET', `/api/v2/statements/${cancelled.body.statementHandle}`);
      while (after.status === 202) after = await call('GET', `/api/v2/statements/${cancelled.body.statementHandle}`);
      expect(after.body).toMatchObject({ code: '000604', sqlState: '57014' });
    });
  });

  it('splits a large result into partitions, fetched with ?partition=N', async () => {
    await withSandbox({ rowsPerPartition: 2 }, async (_sb, { run, call }) => {
      await run('INSERT INTO CONTACTS (EMAIL) VALUES (?), (?), (?), (?), (?)', ['1@x', '2@x', '3@x', '4@x', '5@x']);
      const first = await run('SELECT EMAIL FROM CONTACTS ORDER BY EMAIL');
      expect(first.body.resultSetMetaData).toMatchObject({ numRows: 5, partitionInfo: [{ rowCount: 2 }, { rowCount: 2 }, { rowCount: 1 }] });
      expect(first.body.data).toEqual([['1@x'], ['2@x']]);
      expect(first.headers.get('link')).toContain('partition=1>; rel="next"');
      const third = await call('GET', `/api/v2/statements/${first.body.statementHandle}?partition=2`);
      expect(third.body).toEqual({ data: [['5@x']] });
    });
  });

  it('reports net changes through CHANGES(INFORMATION => DEFAULT), deletes and update pairs included; refuses tables without change tracking', async () => {
    await withSandbox({}, async (_sb, { run }) => {
      await run('INSERT INTO CONTACTS (EMAIL, FIRST_NAME) VALUES (?, ?), (?, ?)', ['keep@x', 'K', 'gone@x', 'G']);
      const start = isoOfEpoch((await run('SELECT CURRENT_TIMESTAMP()')).body.data[0][0] as string);
      await run('UPDATE CONTACTS SET FIRST_NAME = ? WHERE EMAIL = ?', ['K2', 'keep@x']);
      await run('DELETE FROM CONTACTS WHERE EMAIL = ?', ['gone@x']);
      await run('INSERT INTO CONTACTS (EMAIL) VALUES (?)', ['new@x']);
      const changes = await run(`SELECT EMAIL, FIRST_NAME, METADATA$ACTION, METADATA$ISUPDATE FROM CONTACTS CHANGES(INFORMATION => DEFAULT)
        AT(TIMESTAMP => ?::TIMESTAMP_LTZ) END(TIMESTAMP => CURRENT_TIMESTAMP()) ORDER BY EMAIL, METADATA$ACTION`, [start]);
      expect(changes.status).toBe(200);
      expect(changes.body.data).toEqual([
        ['gone@x', 'G', 'DELETE', 'false'],
        ['keep@x', 'K', 'DELETE', 'true'],
        ['keep@x', 'K2', 'INSERT', 'true'],
        ['new@x', null, 'INSERT', 'false'],
      ]);
      const untracked = await run('SELECT * FROM ACCOUNTS CHANGES(INFORMATION => DEFAULT) AT(TIMESTAMP => CURRENT_TIMESTAMP())');
      expect(untracked.status).toBe(422);
      expect(untracked.body.message).toMatch(/Change tracking is not enabled/);
    });
  });
});

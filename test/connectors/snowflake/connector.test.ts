import { randomUUID } from 'node:crypto';
import { buildConnectorContext } from '../../../src/connectors/context';
import { snowflakeConnector } from '../../../src/connectors/snowflake';
import { isConnectorError, type ConnectorError } from '../../../src/platform/errors';
import type { Credentials } from '../../../src/platform/credentials/store';
import type { RunningSandbox } from '../../../sandboxes/kit';
import { startSnowflakeSandbox, type SnowflakeSandboxOptions } from '../../../sandboxes/snowflake';
import { InMemoryCredentialStore } from '../../helpers/sandbox-connection';
import { testStack } from '../../helpers/stack';

// The Snowflake connector against its sandbox (statements executed on Postgres): binds never
// spliced, 202 + statement handle polling, partitions, a bad column named, identifiers refused,
// capture through CHANGES (deletes included) and through an updated-at column.

async function started(options: SnowflakeSandboxOptions = {}): Promise<RunningSandbox> {
  return startSnowflakeSandbox({ ...options, databaseUrl: testStack().databaseUrl, recordExchanges: true });
}

async function connect(sb: RunningSandbox, configPatch: Record<string, unknown> = {}) {
  const { credentials, config } = sb.credentials() as { credentials: Credentials; config: Record<string, unknown> };
  const store = new InMemoryCredentialStore();
  const [tenantId, connectionId] = [`t-${randomUUID()}`, `c-${randomUUID()}`];
  await store.put(tenantId, connectionId, credentials);
  const ctx = buildConnectorContext(snowflakeConnector, { tenantId, connectionId, config: { ...config, ...configPatch } }, store);
  return { dest: snowflakeConnector.destination(ctx), source: snowflakeConnector.source(ctx) };
}

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!isConnectorError(err)) throw new Error(`expected a ConnectorError, got ${String(err)}`);
  return err;
}

async function withSandbox(options: SnowflakeSandboxOptions, body: (sb: RunningSandbox) => Promise<void>): Promise<void> {
  const sb = await started(options);
  try {
    await body(sb);
  } finally {
    await sb.stop();
  }
}

const statementsSent = (sb: RunningSandbox) => sb.exchanges().filter((x) => x.path === '/api/v2/statements')
  .map((x) => JSON.parse(x.rawBody) as { statement: string; bindings: Record<string, { value: string | null }> });

describe('snowflake connector against its sandbox', () => {
  it('sends values only as binds: quotes, semicolons and comment marks round-trip, and no statement text carries them', async () => {
    await withSandbox({}, async (sb) => {
      const { dest } = await connect(sb);
      const nasty = `O'Brien"; DELETE FROM CONTACTS; --`;
      const written = await dest.write('CONTACTS', 'upsert', 'EMAIL', [{ EMAIL: 'a@x.io', LAST_NAME: nasty }, { EMAIL: `b'@x.io;`, LAST_NAME: 'Plain' }]);
      expect(written.map((r) => r.outcome)).toEqual(['created', 'created']);
      const read = await dest.read('CONTACTS', 'EMAIL', ['a@x.io', `b'@x.io;`]);
      expect(read.get('a@x.io')).toMatchObject({ EMAIL: 'a@x.io', LAST_NAME: nasty });
      expect(read.get(`b'@x.io;`)).toMatchObject({ LAST_NAME: 'Plain' });
      const sent = statementsSent(sb);
      expect(sent.some((s) => s.statement.startsWith('MERGE INTO "CONTACTS"'))).toBe(true);
      expect(sent.filter((s) => s.statement.includes("O'Brien") || s.statement.includes('b\'@x'))).toEqual([]);
      expect(sent.some((s) => Object.values(s.bindings).some((b) => b.value === nasty))).toBe(true);
    });
  });

  it('polls a statement that answers 202 with its handle until it is done', async () => {
    await withSandbox({ syncWaitMs: 10, statementDelayMs: 150 }, async (sb) => {
      const { dest } = await connect(sb);
      const written = await dest.write('CONTACTS', 'create', 'EMAIL', [{ EMAIL: 'slow@x.io', FIRST_NAME: 'Slow' }]);
      expect(written).toEqual([{ index: 0, key: 'slow@x.io', id: 'slow@x.io', outcome: 'created' }]);
      expect((await dest.read('CONTACTS', 'EMAIL', ['slow@x.io'])).get('slow@x.io')).toMatchObject({ FIRST_NAME: 'Slow' });
      const answers = sb.requests.list().map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, '{handle}')} ${r.status}`);
      expect(answers).toContain('POST /api/v2/statements 202');
      expect(answers).toContain('GET /api/v2/statements/{handle} 200');
    });
  });

  it('reads every partition of a large result', async () => {
    await withSandbox({ rowsPerPartition: 2 }, async (sb) => {
      const { dest } = await connect(sb);
      const emails = ['1@x', '2@x', '3@x', '4@x', '5@x'];
      await fetch(`${sb.url}/__sandbox/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ objects: { CONTACTS: emails.map((EMAIL) => ({ EMAIL })) } }) });
      const read = await dest.read('CONTACTS', 'EMAIL', emails);
      expect(emails.map((e) => read.get(e)?.EMAIL)).toEqual(emails);
      expect(sb.requests.list().filter((r) => r.method === 'GET').map((r) => r.query)).toEqual(['partition=1', 'partition=2']);
    });
  });

  it("fails only the record with a bad column, naming it as Snowflake's invalid identifier error does", async () => {
    await withSandbox({}, async (sb) => {
      const { dest } = await connect(sb);
      const results = await dest.write('CONTACTS', 'upsert', 'EMAIL', [{ EMAIL: 'ok@x.io', AGE: 30 }, { EMAIL: 'bad@x.io', SHOE_SIZE: 44 }, { EMAIL: 'ok2@x.io', AGE: 31 }]);
      expect(results.map((r) => r.outcome)).toEqual(['created', 'failed', 'created']);
      expect(results[1].errors?.[0]).toMatchObject({ field: 'SHOE_SIZE' });
      expect(results[1].errors?.[0].message).toMatch(/invalid identifier 'SHOE_SIZE'/);
      const lower = await dest.write('CONTACTS', 'upsert', 'EMAIL', [{ EMAIL: 'x@x.io', 'age; --': 1 }]);
      expect(lower[0]).toMatchObject({ outcome: 'failed', errors: [{ field: 'age; --' }] });
    });
  });

  it('refuses table and key names that are not identifiers, and tables the connection does not name, with field-named errors', async () => {
    await withSandbox({}, async (sb) => {
      const configError = await failure(connect(sb, { tables: { 'CONTACTS; DROP': { keyColumns: ['ID'] } } }));
      expect(configError.kind).toBe('permanent');
      expect(configError.fields?.[0].field).toBe('config.tables.CONTACTS; DROP');
      const badKey = await failure(connect(sb, { tables: { CONTACTS: { keyColumns: ['email'] } } }));
      expect(badKey.fields?.[0]).toMatchObject({ field: 'config.tables.CONTACTS.keyColumns.0', message: expect.stringMatching(/unquoted Snowflake identifier/) });
      const { dest } = await connect(sb);
      expect((await failure(dest.read('ACCOUNTS', 'ACCOUNT_ID', ['a']))).fields).toEqual([expect.objectContaining({ field: 'config.tables.ACCOUNTS' })]);
      expect((await failure(dest.read('CONTACTS', 'LAST_NAME', ['a']))).fields).toEqual([expect.objectContaining({ field: 'naturalKey' })]);
    });
  });

  it('captures inserts, updates and deletes through CHANGES on a change-tracked table', async () => {
    await withSandbox({}, async (sb) => {
      const { dest, source } = await connect(sb);
      await dest.write('CONTACTS', 'create', 'EMAIL', [{ EMAIL: 'keep@x', FIRST_NAME: 'K' }, { EMAIL: 'gone@x', FIRST_NAME: 'G' }]);
      const ids = await dest.read('CONTACTS', 'EMAIL', ['keep@x', 'gone@x']);
      const first = await source.capture('CONTACTS', null);
      expect(first.changes).toEqual([]);
      await dest.write('CONTACTS', 'update', 'EMAIL', [{ EMAIL: 'keep@x', FIRST_NAME: 'K2' }]);
      await dest.delete('CONTACTS', 'EMAIL', ['gone@x']);
      await dest.write('CONTACTS', 'create', 'EMAIL', [{ EMAIL: 'new@x' }]);
      const page = await source.capture('CONTACTS', first.cursor);
      const seen = page.changes.map((c) => `${c.op} ${c.recordId} ${String(c.data?.EMAIL ?? '')}`).sort();
      const newId = String((await dest.read('CONTACTS', 'EMAIL', ['new@x'])).get('new@x')?.ID);
      expect(seen).toEqual([`delete ${String(ids.get('gone@x')?.ID)} `, `upsert ${String(ids.get('keep@x')?.ID)} keep@x`, `upsert ${newId} new@x`].sort());
      expect(page.changes.find((c) => c.data?.EMAIL === 'keep@x')?.data).toMatchObject({ FIRST_NAME: 'K2' });
      const again = await source.capture('CONTACTS', page.cursor);
      expect(again.changes).toEqual([]);
    });
  });

  it("captures by an updated-at column when the table's config says so (no deletes there)", async () => {
    await withSandbox({}, async (sb) => {
      const { dest, source } = await connect(sb, { tables: { ACCOUNTS: { keyColumns: ['ACCOUNT_ID'], capture: 'updated-at', updatedAtColumn: 'UPDATED_AT' } } });
      const first = await source.capture('ACCOUNTS', null);
      await dest.write('ACCOUNTS', 'create', 'ACCOUNT_ID', [{ ACCOUNT_ID: 'A1', NAME: 'Acme', BALANCE: '12.50' }, { ACCOUNT_ID: 'A2', NAME: 'Bolt' }]);
      const page = await source.capture('ACCOUNTS', first.cursor);
      expect(page.changes.map((c) => `${c.op} ${c.recordId}`)).toEqual(['upsert A1', 'upsert A2']);
      expect(page.changes[0].data).toMatchObject({ NAME: 'Acme', BALANCE: '12.50' });
      await dest.write('ACCOUNTS', 'update', 'ACCOUNT_ID', [{ ACCOUNT_ID: 'A2', NAME: 'Bolt 2', UPDATED_AT: '2999-01-01T00:00:00' }]);
      const next = await source.capture('ACCOUNTS', page.cursor);
      expect(next.changes.map((c) => `${c.op} ${c.recordId} ${String(c.data?.NAME)}`)).toEqual(['upsert A2 Bolt 2']);
      const plain = await connect(sb, { tables: { ACCOUNTS: { keyColumns: ['ACCOUNT_ID'] } } });
      const start = await plain.source.capture('ACCOUNTS', null);
      const untracked = await failure(plain.source.capture('ACCOUNTS', start.cursor));
      expect(untracked.message).toMatch(/Change tracking is not enabled/);
    });
  });
});

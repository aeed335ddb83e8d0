import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { json, ReplyError, type ExternalStore, type SandboxOptions } from '../kit';
import { fromPostgresText, snowflakeColumnType, type ResultColumn } from './values';
import { castType, findTable, ROW_ID_COLUMN, tables, type TableDef } from './tables';
import { quoteIdent } from './translate';

/** What a statement gave back: its columns as Snowflake types them and its rows as Postgres text. */
export interface RawResult {
  columns: ResultColumn[];
  rows: Array<Array<string | null>>;
  rowCount: number;
}

/** Every value as Postgres's text form: the sandbox formats values as Snowflake does (values.ts). */
const rawText = { getTypeParser: () => (value: string) => value };

/**
 * The sandbox account's tables, kept in a Postgres schema of their own (one per sandbox, dropped at
 * stop). Change-tracked tables get triggers that write every row change, with its before and after
 * image, to "__SF_CHANGES": what CHANGES(INFORMATION => DEFAULT) reads.
 */
export class SnowflakeDatabase implements ExternalStore {
  private pool?: pg.Pool;
  readonly schema = `sbx_snowflake_${randomBytes(6).toString('hex')}`;

  async open(options: SandboxOptions): Promise<void> {
    if (!options.databaseUrl) {
      throw new Error('the Snowflake sandbox runs its SQL on Postgres: start it with databaseUrl (or DATABASE_URL set)');
    }
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4, idleTimeoutMillis: 2000, options: '-c TimeZone=UTC' });
    await this.pool.query(this.ddl());
  }

  async close(): Promise<void> {
    const pool = this.pool;
    if (!pool) return;
    this.pool = undefined;
    try {
      await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`);
    } finally {
      await pool.end();
    }
  }

  /**
   * Runs one translated statement in a transaction of its own. `discard` rolls it back after it ran
   * (a delete-lies fault: the answer is the real one, the rows stay). `onBackend` gets the backend's
   * pid, so a cancel can reach the running statement.
   */
  async execute(sql: string, params: Array<string | null>, options: { discard?: boolean; onBackend?(pid: number): void } = {}): Promise<RawResult> {
    const client = await this.requirePool().connect();
    try {
      options.onBackend?.((client as unknown as { processID: number }).processID);
      await client.query('BEGIN');
      await client.query(`SET LOCAL search_path TO ${quoteIdent(this.schema)}`);
      // The change log stamps a change when its statement runs, not when it commits: a CHANGES read
      // waits for the statements already running to commit (they hold the lock shared), so a change
      // stamped inside its window is never committed after it was read. Snowflake's own CHANGES is
      // consistent by table version; without this the sandbox lost changes under load.
      const readsChanges = sql.includes('"__SF_CHANGES"');
      await client.query(`SELECT ${readsChanges ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared'}(hashtextextended($1, 0))`, [`snowflake-changes:${this.schema}`]);
      const result = await client.query({ text: sql, values: params, rowMode: 'array', types: rawText });
      await client.query(options.discard ? 'ROLLBACK' : 'COMMIT');
      return {
        columns: result.fields.map((f) => ({ name: f.name, ...snowflakeColumnType(f.dataTypeID, f.dataTypeModifier) })),
        rows: result.rows as Array<Array<string | null>>,
        rowCount: result.rowCount ?? 0,
      };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Cancels what a backend runs (POST .../cancel, a statement over its timeout). */
  async cancelBackend(pid: number): Promise<void> {
    await this.requirePool().query('SELECT pg_cancel_backend($1)', [pid]);
  }

  async state(): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const table of tables) out[table.name] = await this.rows(table, `SELECT ${visible(table)} FROM ${this.qualified(table)} ORDER BY 1`, []);
    return out;
  }

  async seed(objects: Record<string, Array<Record<string, unknown>>>): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const [name, records] of Object.entries(objects)) {
      const table = findTable(name);
      if (!table) throw new ReplyError(json(400, { error: { message: `unknown table ${name}; this account has ${tables.map((t) => t.name).join(', ')}` } }));
      out[name] = [];
      for (const record of records) {
        const unknown = Object.keys(record).filter((k) => !table.columns.some((c) => c.name === k));
        if (unknown.length > 0) throw new ReplyError(json(400, { error: { message: `${name} has no column ${unknown.join(', ')}` } }));
        const names = Object.keys(record);
        const values = names.map((k) => (record[k] === null || record[k] === undefined ? null : String(record[k])));
        const sql = names.length === 0
          ? `INSERT INTO ${this.qualified(table)} DEFAULT VALUES RETURNING ${visible(table)}`
          : `INSERT INTO ${this.qualified(table)} (${names.map(quoteIdent).join(', ')}) VALUES (${names.map((n, i) => `CAST($${i + 1} AS ${castType(table.columns.find((c) => c.name === n)!)})`).join(', ')}) RETURNING ${visible(table)}`;
        out[name].push(...await this.rows(table, sql, values));
      }
    }
    return out;
  }

  async reset(): Promise<void> {
    await this.requirePool().query(`TRUNCATE ${[...tables.map((t) => this.qualified(t)), `${quoteIdent(this.schema)}."__SF_CHANGES"`].join(', ')} RESTART IDENTITY`);
  }

  private async rows(table: TableDef, sql: string, params: Array<string | null>): Promise<Array<Record<string, unknown>>> {
    const result = await this.requirePool().query({ text: sql, values: params, rowMode: 'array', types: rawText });
    return (result.rows as Array<Array<string | null>>).map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, fromPostgresText(row[i], snowflakeColumnType(result.fields[i].dataTypeID, result.fields[i].dataTypeModifier))])));
  }

  private qualified(table: TableDef): string {
    return `${quoteIdent(this.schema)}.${quoteIdent(table.name)}`;
  }

  private requirePool(): pg.Pool {
    if (!this.pool) throw new Error('the Snowflake sandbox database is not open');
    return this.pool;
  }

  private ddl(): string {
    const schema = quoteIdent(this.schema);
    const changes = `${schema}."__SF_CHANGES"`;
    return [
      `CREATE SCHEMA ${schema}`,
      `CREATE TABLE ${changes} (seq bigserial PRIMARY KEY, table_name text NOT NULL, row_id text NOT NULL, action char(1) NOT NULL,
        old_row jsonb, new_row jsonb, changed_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
      `CREATE FUNCTION ${schema}."__sf_track"() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO ${changes} (table_name, row_id, action, new_row) VALUES (TG_TABLE_NAME, NEW.${quoteIdent(ROW_ID_COLUMN)}, 'I', to_jsonb(NEW));
          ELSIF TG_OP = 'UPDATE' THEN
            INSERT INTO ${changes} (table_name, row_id, action, old_row, new_row) VALUES (TG_TABLE_NAME, NEW.${quoteIdent(ROW_ID_COLUMN)}, 'U', to_jsonb(OLD), to_jsonb(NEW));
          ELSE
            INSERT INTO ${changes} (table_name, row_id, action, old_row) VALUES (TG_TABLE_NAME, OLD.${quoteIdent(ROW_ID_COLUMN)}, 'D', to_jsonb(OLD));
          END IF;
          RETURN NULL;
        END $body$`,
      ...tables.flatMap((t) => [
        `CREATE TABLE ${this.qualified(t)} (${[
          ...t.columns.map((c) => `${quoteIdent(c.name)} ${c.postgresType}${c.nullable ? '' : ' NOT NULL'}`),
          `${quoteIdent(ROW_ID_COLUMN)} text NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text)`,
        ].join(', ')})`,
        ...(t.changeTracking ? [`CREATE TRIGGER "__sf_track" AFTER INSERT OR UPDATE OR DELETE ON ${this.qualified(t)} FOR EACH ROW EXECUTE FUNCTION ${schema}."__sf_track"()`] : []),
      ]),
    ].join(';\n');
  }
}

function visible(table: TableDef): string {
  return table.columns.map((c) => quoteIdent(c.name)).join(', ');
}

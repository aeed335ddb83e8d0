import type { HttpClient, HttpResponse } from '../../platform/http';
import { pollJob } from '../kit';
import type { SnowflakeConfig } from './config';
import { SYSTEM } from './errors';
import { fromSnowflake, type ColumnMeta } from './values';

/** A statement and its binds: `?` placeholders, bound in order (never spliced into the text). */
export interface Statement {
  sql: string;
  binds: Bind[];
}

export interface Bind {
  type: 'TEXT' | 'FIXED' | 'REAL' | 'BOOLEAN';
  value: string | null;
}

export type Row = Record<string, unknown>;

interface ResultSet {
  statementHandle: string;
  resultSetMetaData?: { numRows: number; rowType: ColumnMeta[]; partitionInfo?: Array<{ rowCount: number }> };
  data?: Array<Array<string | null>>;
  code?: string;
  message?: string;
}

const STATEMENTS = '/api/v2/statements';
const HEADERS = { 'x-snowflake-authorization-token-type': 'OAUTH', accept: 'application/json', 'user-agent': 'forgeworks/1.0' };

/**
 * The SQL API: POST /api/v2/statements, then, when it answers 202 (a statement past the 45 s wait),
 * GET /api/v2/statements/{handle} polled as an asynchronous job (heartbeated); the rows of every
 * partition (?partition=N) read and typed by resultSetMetaData.rowType.
 */
export class SqlApi {
  constructor(private readonly http: HttpClient, private readonly config: SnowflakeConfig, private readonly heartbeat?: (progress: unknown) => void) {}

  async run(statement: Statement): Promise<Row[]> {
    const first = await this.http.request<ResultSet>({
      method: 'POST',
      path: STATEMENTS,
      headers: HEADERS,
      json: {
        statement: statement.sql,
        timeout: this.config.statementTimeoutSeconds,
        warehouse: this.config.warehouse,
        database: this.config.database,
        schema: this.config.schema,
        ...(this.config.role ? { role: this.config.role } : {}),
        bindings: Object.fromEntries(statement.binds.map((b, i) => [String(i + 1), b])),
      },
    });
    const done = first.status === 202 ? await this.waitFor(first.body.statementHandle) : first.body;
    return this.rows(done);
  }

  private async waitFor(handle: string): Promise<ResultSet> {
    const finished = await pollJob<HttpResponse<ResultSet>>({
      system: SYSTEM,
      describe: `snowflake statement ${handle}`,
      poll: () => this.http.request<ResultSet>({ method: 'GET', path: `${STATEMENTS}/${encodeURIComponent(handle)}`, headers: HEADERS }),
      isDone: (res) => res.status !== 202,
      heartbeat: () => this.heartbeat?.({ statementHandle: handle }),
      timeoutMs: (this.config.statementTimeoutSeconds + 60) * 1000,
    });
    return finished.body;
  }

  private async rows(result: ResultSet): Promise<Row[]> {
    const meta = result.resultSetMetaData;
    if (!meta) return [];
    const data = [...(result.data ?? [])];
    const partitions = meta.partitionInfo?.length ?? 1;
    for (let partition = 1; partition < partitions; partition++) {
      const res = await this.http.request<{ data?: Array<Array<string | null>> }>({
        method: 'GET', path: `${STATEMENTS}/${encodeURIComponent(result.statementHandle)}`, query: { partition }, headers: HEADERS,
      });
      data.push(...(res.body.data ?? []));
    }
    return data.map((values) => Object.fromEntries(meta.rowType.map((column, i) => [column.name, fromSnowflake(values[i] ?? null, column)])));
  }
}

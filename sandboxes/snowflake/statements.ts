import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { json, type HandlerContext, type Reply, type Route, type SandboxRequest } from '../kit';
import type { RawResult, SnowflakeDatabase } from './database';
import { failureBody, sfMessage, snowflakeFailure, type StatementFailure } from './errors';
import { DATABASE, SCHEMA } from './tables';
import { SqlCompilationError, translate, type StatementKind } from './translate';
import { toSnowflakeString } from './values';

/**
 * The SQL API's statement endpoints: POST /api/v2/statements runs one statement (answering its
 * result when done within the wait, else 202 with a statementHandle to poll), GET
 * /api/v2/statements/{handle}?partition=N answers the status or a partition of the result, POST
 * /api/v2/statements/{handle}/cancel cancels it.
 */
export interface StatementOptions {
  /** How long POST waits for a statement before answering 202 (Snowflake: 45 s). */
  syncWaitMs: number;
  /** Rows per result partition (Snowflake sizes partitions by bytes; the sandbox by rows). */
  rowsPerPartition: number;
  /** Each statement runs this long before it executes (a warehouse busy elsewhere), to make 202s. */
  statementDelayMs: number;
}

interface Binding {
  type: string;
  value: string | null;
}

interface Execution {
  handle: string;
  createdOn: number;
  kind?: StatementKind;
  done: boolean;
  cancelled: boolean;
  result?: RawResult;
  failure?: StatementFailure;
  backendPid?: number;
  finished: Promise<void>;
}

const STATEMENTS = '/api/v2/statements';

export function statementRoutes(db: SnowflakeDatabase, options: StatementOptions): Route[] {
  const executions = new Map<string, Execution>();

  const start = (statement: string, bindings: Record<string, Binding>, ctx: HandlerContext, timeoutSeconds: number | undefined): Execution => {
    const execution: Execution = { handle: randomUUID(), createdOn: ctx.clock.nowMs(), done: false, cancelled: false, finished: Promise.resolve() };
    const discard = ctx.consistency.deleteLies();
    execution.finished = (async () => {
      try {
        const translated = translate(statement);
        execution.kind = translated.kind;
        const params = bindParams(translated.bindCount, bindings);
        if (options.statementDelayMs > 0) await delay(options.statementDelayMs);
        if (execution.cancelled) throw Object.assign(new Error('canceled'), { code: '57014' });
        const timer = timeoutSeconds ? setTimeout(() => void cancel(execution, true), timeoutSeconds * 1000) : undefined;
        try {
          execution.result = await db.execute(translated.sql, params, {
            discard: discard && translated.kind === 'delete',
            onBackend: (pid) => { execution.backendPid = pid; },
          });
        } finally {
          clearTimeout(timer);
        }
      } catch (err) {
        execution.failure = execution.failure ?? snowflakeFailure(err, statement);
      } finally {
        execution.done = true;
      }
    })();
    executions.set(execution.handle, execution);
    return execution;
  };

  const cancel = async (execution: Execution, timedOut = false): Promise<void> => {
    if (execution.done) return;
    execution.cancelled = true;
    if (timedOut) {
      execution.failure = { httpStatus: 408, code: '000630', sqlState: '57014', message: 'Statement reached its statement or warehouse timeout and was canceled.' };
    }
    if (execution.backendPid !== undefined) await db.cancelBackend(execution.backendPid);
  };

  return [
    {
      method: 'POST',
      path: STATEMENTS,
      handle: async (req, ctx) => {
        const body = req.body as Record<string, unknown> | undefined;
        const refusal = refuseRequest(req, body);
        if (refusal) return refusal;
        const execution = start(String(body!.statement), (body!.bindings ?? {}) as Record<string, Binding>, ctx, typeof body!.timeout === 'number' && body!.timeout > 0 ? body!.timeout : undefined);
        if (req.query.get('async') !== 'true') {
          const wait = new AbortController();
          await Promise.race([execution.finished, delay(options.syncWaitMs, undefined, { signal: wait.signal }).catch(() => undefined)]);
          wait.abort();
        }
        return answer(execution, 0, options.rowsPerPartition);
      },
    },
    {
      method: 'GET',
      path: `${STATEMENTS}/:handle`,
      handle: (req) => {
        const execution = executions.get(req.params.handle);
        if (!execution) return unknownHandle(req.params.handle);
        const partition = Number(req.query.get('partition') ?? '0');
        return answer(execution, Number.isInteger(partition) && partition >= 0 ? partition : 0, options.rowsPerPartition);
      },
    },
    {
      method: 'POST',
      path: `${STATEMENTS}/:handle/cancel`,
      handle: async (req) => {
        const execution = executions.get(req.params.handle);
        if (!execution) return unknownHandle(req.params.handle);
        await cancel(execution);
        return json(200, { code: '000000', sqlState: '00000', message: 'successfully canceled', statementHandle: execution.handle, statementStatusUrl: `${STATEMENTS}/${execution.handle}` });
      },
    },
  ];
}

/** What Snowflake refuses before running anything: a body without a statement, another database, no warehouse. */
function refuseRequest(req: SandboxRequest, body: Record<string, unknown> | undefined): Reply | undefined {
  const tokenType = req.headers['x-snowflake-authorization-token-type'];
  if (tokenType !== undefined && tokenType !== 'OAUTH') return sfMessage(401, `Unsupported authorization token type ${String(tokenType)}: this account accepts OAUTH`, '390101');
  if (!body || typeof body !== 'object' || typeof body.statement !== 'string' || body.statement.trim() === '') {
    return sfMessage(400, 'Unable to parse the request body: statement is required', '391903');
  }
  const handle = randomUUID();
  if (body.database !== undefined && body.database !== DATABASE) {
    return json(422, failureBody({ httpStatus: 422, code: '002043', sqlState: '02000', message: `SQL compilation error:\nObject does not exist, or operation cannot be performed. Database '${String(body.database)}' does not exist or not authorized.` }, handle, Date.now()));
  }
  if (body.schema !== undefined && body.schema !== SCHEMA) {
    return json(422, failureBody({ httpStatus: 422, code: '002043', sqlState: '02000', message: `SQL compilation error:\nObject does not exist, or operation cannot be performed. Schema '${String(body.schema)}' does not exist or not authorized.` }, handle, Date.now()));
  }
  if (typeof body.warehouse !== 'string' || body.warehouse === '') {
    return json(422, failureBody({ httpStatus: 422, code: '000606', sqlState: '57P03', message: "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command." }, handle, Date.now()));
  }
  return undefined;
}

/** Binds 1..count from `bindings`, each { type, value } with a string (or null) value. */
function bindParams(count: number, bindings: Record<string, Binding>): Array<string | null> {
  const params: Array<string | null> = [];
  for (let i = 1; i <= count; i++) {
    const binding = bindings[String(i)];
    if (!binding || typeof binding !== 'object') throw new SqlCompilationError('002049', '42601', `SQL compilation error: Bind variable ? not set.`);
    if (binding.value !== null && typeof binding.value !== 'string') {
      throw new SqlCompilationError('002099', '42601', `SQL compilation error: Unsupported bind value for variable ${i}: the sandbox takes one string (or null) per bind`);
    }
    params.push(binding.value);
  }
  return params;
}

function answer(execution: Execution, partition: number, rowsPerPartition: number): Reply {
  const statusUrl = `${STATEMENTS}/${execution.handle}`;
  if (!execution.done) {
    return json(202, {
      code: '333334', message: 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
      statementHandle: execution.handle, statementStatusUrl: statusUrl, createdOn: execution.createdOn,
    });
  }
  if (execution.failure) {
    const body = failureBody(execution.failure, execution.handle, execution.createdOn);
    return json(execution.failure.httpStatus, execution.failure.httpStatus === 408 ? { ...body } : body);
  }
  const result = execution.result!;
  const table = presentRows(execution.kind, result);
  const partitions = chunk(table.data, rowsPerPartition);
  if (partition >= partitions.length) return sfMessage(422, `Partition ${partition} does not exist; the result has ${partitions.length}`, '000709');
  const link = partitionLinks(statusUrl, partition, partitions.length);
  const headers = link ? { link } : undefined;
  if (partition > 0) return { status: 200, body: { data: partitions[partition] }, ...(headers ? { headers } : {}) };
  return {
    status: 200,
    ...(headers ? { headers } : {}),
    body: {
      resultSetMetaData: {
        numRows: table.data.length,
        format: 'jsonv2',
        partitionInfo: partitions.map((rows) => ({ rowCount: rows.length, uncompressedSize: Buffer.byteLength(JSON.stringify(rows)) })),
        rowType: table.rowType,
      },
      data: partitions[0],
      code: '090001',
      statementStatusUrl: statusUrl,
      sqlState: '00000',
      statementHandle: execution.handle,
      message: 'Statement executed successfully.',
      createdOn: execution.createdOn,
      ...(table.stats ? { stats: table.stats } : {}),
    },
  };
}

/** A query's rows, or a DML statement's counts as Snowflake shows them ("number of rows inserted", ...). */
function presentRows(kind: StatementKind | undefined, result: RawResult): { rowType: unknown[]; data: Array<Array<string | null>>; stats?: Record<string, number> } {
  const fixed = (name: string) => ({ name, database: '', schema: '', table: '', type: 'fixed', nullable: false, length: 0, precision: 19, scale: 0, byteLength: 0 });
  const counts = (entries: Array<[string, string, number]>) => ({
    rowType: entries.map(([name]) => fixed(name)),
    data: [entries.map(([, , n]) => String(n))],
    stats: Object.fromEntries(entries.map(([, stat, n]) => [stat, n])),
  });
  switch (kind) {
    case 'insert': return counts([['number of rows inserted', 'numRowsInserted', result.rowCount]]);
    case 'update': return counts([['number of rows updated', 'numRowsUpdated', result.rowCount], ['number of multi-joined rows updated', 'numDmlDuplicates', 0]]);
    case 'delete': return counts([['number of rows deleted', 'numRowsDeleted', result.rowCount]]);
    case 'merge': {
      const actions = result.rows.map((r) => r[0]);
      return counts([
        ['number of rows inserted', 'numRowsInserted', actions.filter((a) => a === 'INSERT').length],
        ['number of rows updated', 'numRowsUpdated', actions.filter((a) => a === 'UPDATE').length],
      ]);
    }
    default:
      return {
        rowType: result.columns.map((c) => ({ name: c.name, database: DATABASE, schema: SCHEMA, table: '', type: c.type, nullable: true, length: c.length, precision: c.precision, scale: c.scale, byteLength: c.byteLength })),
        data: result.rows.map((row) => row.map((value, i) => toSnowflakeString(value, result.columns[i]))),
      };
  }
}

function chunk<T>(rows: T[], size: number): T[][] {
  if (rows.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

function partitionLinks(statusUrl: string, partition: number, count: number): string | undefined {
  if (count <= 1) return undefined;
  const link = (n: number, rel: string) => `<${statusUrl}?partition=${n}>; rel="${rel}"`;
  return [link(0, 'first'), ...(partition + 1 < count ? [link(partition + 1, 'next')] : []), ...(partition > 0 ? [link(partition - 1, 'prev')] : []), link(count - 1, 'last')].join(',');
}

function unknownHandle(handle: string): Reply {
  return json(422, { code: '000709', sqlState: '02000', message: `Statement ${handle} not found`, statementHandle: handle });
}

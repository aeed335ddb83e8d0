import crypto from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { redact } from '../../platform/credentials/redact';
import { inTransaction } from '../../platform/db/pool';
import { ConnectionsRepository } from '../../platform/db/repositories/connections';
import { LoadsRepository, recordStatuses, type LoadStatus } from '../../platform/db/repositories/loads';
import { DEFAULT_ROLLBACK_WINDOW_SECONDS, MAX_ROLLBACK_WINDOW_SECONDS } from '../../platform/load/model';
import { writeOperations } from '../../platform/records';
import { conflict, notFound, serviceUnavailable, validationFailed } from '../errors/api-error';
import { parseOrThrow } from '../errors/zod-validation';
import { connectionOfBody } from '../connections/connection-of-body';
import { assertLoadCapacity } from '../limits';
import { CONFIG, GATEWAY_LOGGER, PG_POOL } from '../tokens';
import type { AppConfig } from '../../platform/config';
import { checkAgainstConnector, checkTarget, createLoadBody, keyProblem } from './load-body';
import { readRecords, RecordStreamError, type StreamFormat } from './record-stream';
import { loadRecordView, loadView } from './load-view';
import { LoadWorkflowClient } from './load-workflow.client';
import { RecordLines } from './record-lines';
import { bodyPositions, linePositions, refuseRepeatedKeys } from './repeated-keys';

const recordsQuery = z.object({
  status: z.enum(recordStatuses).optional(),
  after: z.coerce.number().int().min(-1).max(2_147_483_647, { message: 'after must be a record index from a previous page' }).default(-1),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
/** POST /v1/loads?connectionId=&object=&operation=&naturalKey=[&dryRun=&verify=&onError=&rollbackWindowSeconds=] */
const streamedLoadQuery = z.object({
  connectionId: z.string().min(1),
  object: z.string().min(1),
  operation: z.enum(writeOperations),
  naturalKey: z.string().min(1).optional(),
  dryRun: flag.default(false),
  verify: flag.default(true),
  onError: z.enum(['rollback', 'continue']).default('rollback'),
  rollbackWindowSeconds: z.coerce.number().int().min(0).max(MAX_ROLLBACK_WINDOW_SECONDS).default(DEFAULT_ROLLBACK_WINDOW_SECONDS),
}).strict();

const CANCELLABLE: LoadStatus[] = ['pending', 'running'];

async function withLoadCapacity<C extends Parameters<typeof assertLoadCapacity>[0]>(client: C, tenantId: string, max: number): Promise<C> {
  await assertLoadCapacity(client, tenantId, max);
  return client;
}

@Injectable()
export class LoadsService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LoadsRepository) private readonly loads: LoadsRepository,
    @Inject(ConnectionsRepository) private readonly connections: ConnectionsRepository,
    @Inject(LoadWorkflowClient) private readonly workflows: LoadWorkflowClient,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /** Stores the load and its records in one transaction, then starts its workflow (refused when a natural key repeats). */
  async create(tenantId: string, rawBody: unknown): Promise<{ id: string }> {
    const body = parseOrThrow(createLoadBody, rawBody);
    const { connection, def } = await connectionOfBody(this.connections, tenantId, body.connectionId);
    const checked = checkAgainstConnector(def, body);
    if ('problems' in checked) throw validationFailed(checked.problems);
    const { spec, naturalKey, options } = checked.plan;

    const id = `ld_${crypto.randomBytes(10).toString('hex')}`;
    await inTransaction(this.pool, async (client) => {
      await this.loads.insertWithRecords(await withLoadCapacity(client, tenantId, this.config.FORGE_TENANT_MAX_ACTIVE_LOADS), {
        id, tenantId, connectionId: connection.id, connector: def.id, object: spec.name, operation: body.operation,
        naturalKey, options, chunkSize: spec.batchSize,
      }, body.records);
      await refuseRepeatedKeys(client, id, spec, naturalKey, bodyPositions(naturalKey));
    });
    await this.startWorkflow(tenantId, id, def.id, spec.name);
    this.logger.info({ tenantId, loadId: id, connector: def.id, object: spec.name, records: body.records.length }, 'load started');
    return { id };
  }

  /**
   * A load whose records arrive as NDJSON or CSV: the target comes from the query string, the
   * records are checked and copied into Postgres as they stream in (never all in memory), and a
   * bad line, or a natural key two lines carry, refuses the whole load naming the lines, storing nothing.
   */
  async createStreamed(tenantId: string, rawQuery: unknown, body: Readable, format: StreamFormat): Promise<{ id: string }> {
    const query = parseOrThrow(streamedLoadQuery, rawQuery);
    const { connection, def } = await connectionOfBody(this.connections, tenantId, query.connectionId);
    const { dryRun, verify, onError, rollbackWindowSeconds } = query;
    const checked = checkTarget(def, { object: query.object, operation: query.operation, naturalKey: query.naturalKey,
      options: { dryRun, verify, onError, rollbackWindowSeconds } });
    if ('problems' in checked) throw validationFailed(checked.problems);
    const { spec, naturalKey, options } = checked.plan;

    const id = `ld_${crypto.randomBytes(10).toString('hex')}`;
    const { upload, stop: stopIdleWatch } = abandonWhenIdle(body, this.config.FORGE_UPLOAD_IDLE_TIMEOUT_MS, () => this.logger.warn({ tenantId, loadId: id },
      `streamed load abandoned: the upload sent nothing for ${this.config.FORGE_UPLOAD_IDLE_TIMEOUT_MS} ms; nothing of it was stored`));
    let lastLine = 0;
    const lines = new RecordLines();
    const records = async function* checkedRecords() {
      let index = 0;
      for await (const { line, record } of readRecords(upload, format, spec)) {
        const problem = keyProblem(record, naturalKey);
        if (problem) throw new RecordStreamError(`line ${line}`, `line ${line}: ${problem}`);
        lines.note(index++, line);
        lastLine = line;
        yield record;
      }
    };
    let count: number;
    try {
      count = await inTransaction(this.pool, async (client) => {
        await assertLoadCapacity(client, tenantId, this.config.FORGE_TENANT_MAX_ACTIVE_LOADS);
        const stored = await this.loads.insertStreamed(client, {
          id, tenantId, connectionId: connection.id, connector: def.id, object: spec.name, operation: query.operation,
          naturalKey, options, chunkSize: spec.batchSize,
        }, records(), (record) => String(record[naturalKey]).trim());
        if (stored === 0) throw new RecordStreamError('body', 'the body holds no records');
        await refuseRepeatedKeys(client, id, spec, naturalKey, linePositions(lines, format === 'csv' ? naturalKey : undefined));
        return stored;
      });
    } catch (err) {
      if (err instanceof RecordStreamError) throw validationFailed([{ field: err.field, message: err.message }]);
      throw err;
    } finally {
      stopIdleWatch();
    }
    await this.startWorkflow(tenantId, id, def.id, spec.name);
    this.logger.info({ tenantId, loadId: id, connector: def.id, object: spec.name, records: count, lines: lastLine, format }, 'streamed load started');
    return { id };
  }

  async list(tenantId: string, query: unknown) {
    const { limit } = parseOrThrow(listQuery, query);
    const loads = await this.loads.listForTenant(tenantId, limit);
    return {
      loads: loads.map((l) => ({
        ...l, rollbackUntil: l.rollbackUntil?.toISOString() ?? null, createdAt: l.createdAt.toISOString(), finishedAt: l.finishedAt?.toISOString() ?? null,
      })),
    };
  }

  async get(tenantId: string, id: string) {
    const load = await this.loads.findSummary(tenantId, id);
    if (!load) throw notFound('load', id);
    return loadView(load);
  }

  async records(tenantId: string, id: string, query: unknown) {
    const { status, after, limit } = parseOrThrow(recordsQuery, query);
    if (!(await this.loads.findState(tenantId, id))) throw notFound('load', id);
    const rows = await this.loads.listRecords(id, { status, afterIndex: after, limit });
    const page = rows.slice(0, limit);
    return {
      records: page.map(loadRecordView),
      ...(rows.length > limit ? { next: String(page[page.length - 1].index) } : {}),
    };
  }

  async cancel(tenantId: string, id: string): Promise<{ id: string; status: LoadStatus; signal: 'cancel' }> {
    const load = await this.loads.findState(tenantId, id);
    if (!load) throw notFound('load', id);
    if (!CANCELLABLE.includes(load.status)) {
      throw conflict(`load ${id} is ${load.status}: only a pending or running load can be cancelled`);
    }
    await this.signal(tenantId, id, 'cancel');
    return { id, status: load.status, signal: 'cancel' };
  }

  async rollback(tenantId: string, id: string): Promise<{ id: string; status: LoadStatus; signal: 'rollback' }> {
    const load = await this.loads.findState(tenantId, id);
    if (!load) throw notFound('load', id);
    if (load.options.dryRun) throw conflict(`load ${id} is a dry run: it changed nothing, so there is nothing to roll back`);
    const failedButKept = load.status === 'failed' && load.options.onError === 'continue';
    if (load.status !== 'completed' && !failedButKept) {
      throw conflict(`load ${id} is ${load.status}, not completed: only a completed load (or a failed one with onError "continue") can be rolled back`);
    }
    if (!load.rollbackUntil || load.rollbackUntil.getTime() <= Date.now()) {
      const when = load.rollbackUntil ? ` at ${load.rollbackUntil.toISOString()}` : '';
      throw conflict(`the rollback window of load ${id} closed${when}`);
    }
    await this.signal(tenantId, id, 'rollback');
    return { id, status: load.status, signal: 'rollback' };
  }

  /** Starts a stored load's workflow; a load whose workflow cannot start is marked failed. */
  private async startWorkflow(tenantId: string, id: string, connector: string, object: string): Promise<void> {
    try {
      await this.workflows.start({ tenantId, loadId: id, connector, object });
    } catch (err) {
      const reason = redact(err instanceof Error ? err.message : String(err));
      await this.loads.markFailedToStart(id, `the load workflow could not be started: ${reason}`);
      this.logger.error({ tenantId, loadId: id, reason }, 'load workflow did not start');
      throw serviceUnavailable('workflow_not_started', `load ${id} was stored but its workflow could not be started (${reason}); it is marked failed`);
    }
  }

  private async signal(tenantId: string, id: string, signal: 'cancel' | 'rollback'): Promise<void> {
    let delivered: boolean;
    try {
      delivered = await this.workflows.signal(tenantId, id, signal);
    } catch (err) {
      throw serviceUnavailable('temporal_unavailable', `could not signal load ${id}: ${redact((err as Error).message)}`);
    }
    if (!delivered) throw conflict(`load ${id} has no running workflow to ${signal}`);
    this.logger.info({ tenantId, loadId: id, signal }, 'load signalled');
  }
}

/**
 * The body as it arrives, ended when it stops sending: a failed read fails the COPY reading it, so
 * its transaction rolls back and nothing of the load is stored (the silent client's socket is
 * closed). `stop()` ends the watch once the request is handled, whether or not the body was read
 * to its end (a bad line refuses the load with the rest unread).
 */
function abandonWhenIdle(body: Readable, idleMs: number, onAbandon: () => void): { upload: Readable; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const disarm = () => clearTimeout(timer);
  // A refused load leaves the rest of its body unread: discarded, the client's upload completes and
  // it reads the answer (left piped into a stream nobody reads, it would stall for good).
  const stop = () => {
    disarm();
    body.unpipe(upload);
    if (!body.readableEnded && !body.destroyed) body.resume();
  };
  const arm = () => {
    disarm();
    timer = setTimeout(() => {
      onAbandon();
      upload.destroy(new Error(`the upload sent nothing for ${idleMs} ms`));
      body.destroy();
    }, idleMs);
    timer.unref();
  };
  const upload = new PassThrough({
    transform(chunk, _encoding, done) { arm(); done(null, chunk); },
    flush(done) { disarm(); done(); },
  });
  // Whoever reads the upload hears its error; this keeps one nobody reads from ending the process.
  upload.on('error', () => undefined);
  upload.once('close', disarm);
  arm();
  body.pipe(upload);
  body.once('error', (err) => upload.destroy(err));
  return { upload, stop };
}

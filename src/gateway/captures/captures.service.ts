import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { objectSpec } from '../../connectors/contract';
import { redact } from '../../platform/credentials/redact';
import { CapturesRepository, type CaptureRow } from '../../platform/db/repositories/captures';
import { ConnectionsRepository, isUniqueViolation } from '../../platform/db/repositories/connections';
import { conflict, notFound, serviceUnavailable, validationFailed } from '../errors/api-error';
import { parseOrThrow } from '../errors/zod-validation';
import { connectionOfBody } from '../connections/connection-of-body';
import { assertCaptureCapacity } from '../limits';
import { CONFIG, GATEWAY_LOGGER, PG_POOL } from '../tokens';
import type { Pool } from 'pg';
import type { AppConfig } from '../../platform/config';
import { createCaptureBody } from './capture-body';
import { captureView } from './capture-view';
import { CaptureWorkflowClient, type CaptureSignal } from './capture-workflow.client';

@Injectable()
export class CapturesService {
  constructor(
    @Inject(CapturesRepository) private readonly captures: CapturesRepository,
    @Inject(ConnectionsRepository) private readonly connections: ConnectionsRepository,
    @Inject(CaptureWorkflowClient) private readonly workflows: CaptureWorkflowClient,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /** Stores the capture, then starts its workflow; one live capture per connection and object. */
  async create(tenantId: string, rawBody: unknown): Promise<{ id: string }> {
    const body = parseOrThrow(createCaptureBody, rawBody);
    const { connection, def } = await connectionOfBody(this.connections, tenantId, body.connectionId);
    const spec = objectSpec(def, body.object);
    if (!spec) {
      const known = def.objects.map((o) => o.name).join(', ');
      throw validationFailed([{ field: 'object', message: `${def.id} has no object "${body.object}" (known: ${known})` }]);
    }

    await assertCaptureCapacity(this.pool, tenantId, this.config.FORGE_TENANT_MAX_LIVE_CAPTURES);
    const id = `cp_${crypto.randomBytes(10).toString('hex')}`;
    try {
      await this.captures.insert({
        id, tenantId, connectionId: connection.id, connector: def.id, object: spec.name,
        intervalSeconds: body.intervalSeconds, pollsPerRun: body.options.pollsPerRun,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`connection ${connection.id} already has a running or paused capture of ${spec.name}: stop it first`);
      throw err;
    }
    try {
      await this.workflows.start({
        tenantId, captureId: id, connector: def.id, object: spec.name, intervalSeconds: body.intervalSeconds, pollsPerRun: body.options.pollsPerRun,
      });
    } catch (err) {
      const reason = redact(err instanceof Error ? err.message : String(err));
      await this.captures.setStatus(id, 'stopped', { message: `the capture workflow could not be started: ${reason}`, at: new Date().toISOString() });
      this.logger.error({ tenantId, captureId: id, reason }, 'capture workflow did not start');
      throw serviceUnavailable('workflow_not_started', `capture ${id} was stored but its workflow could not be started (${reason}); it is marked stopped`);
    }
    this.logger.info({ tenantId, captureId: id, connector: def.id, object: spec.name, intervalSeconds: body.intervalSeconds }, 'capture started');
    return { id };
  }

  async list(tenantId: string) {
    const rows = await this.captures.listForTenant(tenantId, 200);
    const lastChanges = await this.captures.lastChangeAt(tenantId, rows.map((r) => r.id));
    const views = await Promise.all(rows.map(async (row) =>
      captureView(row, row.status === 'stopped' ? null : await this.workflows.status(tenantId, row.id), lastChanges.get(row.id))));
    return { captures: views };
  }

  async get(tenantId: string, id: string) {
    const row = await this.require(tenantId, id);
    const live = row.status === 'stopped' ? null : await this.workflows.status(tenantId, id);
    return captureView(row, live, (await this.captures.lastChangeAt(tenantId, [id])).get(id));
  }

  async pause(tenantId: string, id: string) {
    return this.signalLive(tenantId, id, 'pause');
  }

  async resume(tenantId: string, id: string) {
    return this.signalLive(tenantId, id, 'resume');
  }

  /** Marks the capture stopped (nothing more is appended from then on) and tells its workflow to end. Idempotent. */
  async stop(tenantId: string, id: string): Promise<void> {
    const row = await this.require(tenantId, id);
    if (row.status === 'stopped') return;
    await this.captures.setStatus(id, 'stopped');
    try {
      await this.workflows.signal(tenantId, id, 'stop');
    } catch (err) {
      // The row is stopped: the workflow's next poll sees that and ends by itself.
      this.logger.warn({ tenantId, captureId: id, reason: redact((err as Error).message) }, 'could not signal a stopped capture');
    }
    this.logger.info({ tenantId, captureId: id }, 'capture stopped');
  }

  private async signalLive(tenantId: string, id: string, signal: CaptureSignal): Promise<{ id: string; signal: CaptureSignal }> {
    const row = await this.require(tenantId, id);
    if (row.status === 'stopped') throw conflict(`capture ${id} is stopped: create a new capture instead`);
    let delivered: boolean;
    try {
      delivered = await this.workflows.signal(tenantId, id, signal);
    } catch (err) {
      throw serviceUnavailable('temporal_unavailable', `could not signal capture ${id}: ${redact((err as Error).message)}`);
    }
    if (!delivered) throw conflict(`capture ${id} has no running workflow to ${signal}`);
    this.logger.info({ tenantId, captureId: id, signal }, 'capture signalled');
    return { id, signal };
  }

  private async require(tenantId: string, id: string): Promise<CaptureRow> {
    const row = await this.captures.findForTenant(tenantId, id);
    if (!row) throw notFound('capture', id);
    return row;
  }
}

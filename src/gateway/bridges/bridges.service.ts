import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { redact, redactValue } from '../../platform/credentials/redact';
import { BridgesRepository, type BridgeRow } from '../../platform/db/repositories/bridges';
import { ConnectionsRepository, isUniqueViolation } from '../../platform/db/repositories/connections';
import { conflict, notFound, serviceUnavailable, validationFailed, type FieldProblem } from '../errors/api-error';
import { parseOrThrow } from '../errors/zod-validation';
import { GATEWAY_LOGGER } from '../tokens';
import { createBridgeBody } from './bridge-body';
import type { BridgeDirectionStatus } from '../../platform/workflow-api';
import { BridgeWorkflowClient, type BridgeWorkflowState } from './bridge-workflow.client';

/** One direction's status; its last error redacted like the bridge's own. */
function directionView(d: BridgeDirectionStatus) {
  return { copied: d.copied, lastCopyAt: d.lastCopyAt, lagSeconds: d.lagSeconds, lastError: d.lastError ? redactValue(d.lastError) : null };
}

function bridgeView(row: BridgeRow, live: BridgeWorkflowState | null, copies: Record<string, number>) {
  const status = row.status === 'stopped' || !live ? row.status : live.status;
  // Status and error from one source: the stored row can trail the workflow by a write (a pause
  // shown live beside the error recorded before it, from the other side).
  const lastError = row.status === 'stopped' || !live ? row.lastError : live.lastError;
  return {
    id: row.id,
    slackConnectionId: row.slackConnectionId,
    slackChannel: row.slackChannel,
    teamsConnectionId: row.teamsConnectionId,
    teamsChannel: row.teamsChannel,
    status,
    intervalSeconds: row.intervalSeconds,
    lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
    copies,
    ...(lastError ? { lastError: redactValue(lastError) } : {}),
    ...(live ? { polls: live.polls, runs: live.runs + 1, copied: live.copied, dropped: live.dropped } : {}),
    ...(live?.directions ? { directions: { slackToTeams: directionView(live.directions.slack), teamsToSlack: directionView(live.directions.teams) } } : {}),
    createdAt: row.createdAt.toISOString(),
    stoppedAt: row.stoppedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class BridgesService {
  constructor(
    @Inject(BridgesRepository) private readonly bridges: BridgesRepository,
    @Inject(ConnectionsRepository) private readonly connections: ConnectionsRepository,
    @Inject(BridgeWorkflowClient) private readonly workflows: BridgeWorkflowClient,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
  ) {}

  /** Stores the bridge, then starts its workflow; one live bridge per channel. */
  async create(tenantId: string, rawBody: unknown): Promise<{ id: string }> {
    const body = parseOrThrow(createBridgeBody, rawBody);
    const problems: FieldProblem[] = [];
    const slack = await this.connections.findForTenant(tenantId, body.slackConnectionId);
    if (!slack) problems.push({ field: 'slackConnectionId', message: `no connection with id ${body.slackConnectionId}` });
    else if (slack.connector !== 'slack') problems.push({ field: 'slackConnectionId', message: `connection ${slack.id} is a ${slack.connector} connection, not slack` });
    const teams = await this.connections.findForTenant(tenantId, body.teamsConnectionId);
    if (!teams) problems.push({ field: 'teamsConnectionId', message: `no connection with id ${body.teamsConnectionId}` });
    else if (teams.connector !== 'teams') problems.push({ field: 'teamsConnectionId', message: `connection ${teams.id} is a ${teams.connector} connection, not teams` });
    if (problems.length > 0) throw validationFailed(problems);

    const id = `br_${crypto.randomBytes(10).toString('hex')}`;
    try {
      await this.bridges.insert({
        id, tenantId, slackConnectionId: body.slackConnectionId, slackChannel: body.slackChannel,
        teamsConnectionId: body.teamsConnectionId, teamsChannel: body.teamsChannel, intervalSeconds: body.intervalSeconds,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('one of these channels already has a running or paused bridge: stop it first');
      throw err;
    }
    try {
      await this.workflows.start({ tenantId, bridgeId: id, intervalSeconds: body.intervalSeconds, pollsPerRun: body.options.pollsPerRun });
    } catch (err) {
      const reason = redact(err instanceof Error ? err.message : String(err));
      await this.bridges.setStatus(id, 'stopped', { message: `the bridge workflow could not be started: ${reason}`, at: new Date().toISOString() });
      this.logger.error({ tenantId, bridgeId: id, reason }, 'bridge workflow did not start');
      throw serviceUnavailable('workflow_not_started', `bridge ${id} was stored but its workflow could not be started (${reason}); it is marked stopped`);
    }
    this.logger.info({ tenantId, bridgeId: id }, 'bridge started');
    return { id };
  }

  async list(tenantId: string) {
    const rows = await this.bridges.listForTenant(tenantId, 200);
    const views = await Promise.all(rows.map(async (row) => bridgeView(row,
      row.status === 'stopped' ? null : await this.workflows.status(tenantId, row.id), await this.bridges.copyCounts(row.id))));
    return { bridges: views };
  }

  /** Pause or resume a bridge that is not stopped. */
  async signalLive(tenantId: string, id: string, signal: 'pause' | 'resume'): Promise<{ id: string; signal: 'pause' | 'resume' }> {
    const row = await this.require(tenantId, id);
    if (row.status === 'stopped') throw conflict(`bridge ${id} is stopped: create a new bridge instead`);
    let delivered: boolean;
    try {
      delivered = await this.workflows.signal(tenantId, id, signal);
    } catch (err) {
      throw serviceUnavailable('temporal_unavailable', `could not signal bridge ${id}: ${redact((err as Error).message)}`);
    }
    if (!delivered) throw conflict(`bridge ${id} has no running workflow to ${signal}`);
    this.logger.info({ tenantId, bridgeId: id, signal }, 'bridge signalled');
    return { id, signal };
  }

  async get(tenantId: string, id: string) {
    const row = await this.require(tenantId, id);
    const live = row.status === 'stopped' ? null : await this.workflows.status(tenantId, id);
    return bridgeView(row, live, await this.bridges.copyCounts(id));
  }

  /** Marks the bridge stopped (nothing more is copied) and tells its workflow to end. Idempotent. */
  async stop(tenantId: string, id: string): Promise<void> {
    const row = await this.require(tenantId, id);
    if (row.status === 'stopped') return;
    await this.bridges.setStatus(id, 'stopped');
    try {
      await this.workflows.signal(tenantId, id, 'stop');
    } catch (err) {
      this.logger.warn({ tenantId, bridgeId: id, reason: redact((err as Error).message) }, 'could not signal a stopped bridge');
    }
    this.logger.info({ tenantId, bridgeId: id }, 'bridge stopped');
  }

  private async require(tenantId: string, id: string): Promise<BridgeRow> {
    const row = await this.bridges.findForTenant(tenantId, id);
    if (!row) throw notFound('bridge', id);
    return row;
  }
}

import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { objectSpec } from '../src/connectors/contract';
import { findConnector } from '../src/connectors/registry';
import type { CredentialStore } from '../src/platform/credentials/store';
import { ConnectorError } from '../src/platform/errors';
import { LoadsRepository } from '../src/platform/db/repositories/loads';
import type { ChunkCounts, LoadPhase, LoadRunSettings, LoadStatus, RollbackCounts } from '../src/platform/load/model';
import * as saga from '../src/platform/load/saga';
import type { Segment } from '../src/platform/load/segments';
import { activityStep as step, openConnection } from './activity-step';

/**
 * Thin adapters from the load workflow to the saga's steps (src/platform/load/saga.ts): each opens
 * the load's connection, runs one step on one chunk and hands failures to Temporal through the
 * error taxonomy. Records stay in Postgres; the workflow passes ids and chunk numbers only.
 */
export function createLoadActivities(deps: { pool: Pool; credentials: CredentialStore; loadSegmentLanes?: number }) {
  const repo = new LoadsRepository(deps.pool);

  async function target(loadId: string): Promise<saga.SagaTarget> {
    const load = await repo.load(loadId);
    const { def, ctx } = await openConnection(deps, load);
    const spec = objectSpec(def, load.object);
    if (!spec) throw new ConnectorError({ kind: 'permanent', system: load.connector, message: `${load.connector} has no object ${load.object}` });
    // An object without an id field of its own (a Snowflake table, keyed by the columns its
    // connection names) is identified by the load's natural key throughout.
    return { load, spec, destination: def.destination(ctx), idField: spec.naturalKeys[0] ?? load.naturalKey, repo };
  }

  return {
    async beginLoad(loadId: string): Promise<LoadRunSettings> {
      return saga.runSettings(await repo.load(loadId), deps.loadSegmentLanes);
    },

    async recordLoadStatus(loadId: string, status: LoadStatus, phase: LoadPhase,
      extra: { error?: string; rollbackWindowStarts?: boolean }): Promise<void> {
      const settings = saga.runSettings(await repo.load(loadId));
      const finished = ['cancelled', 'rolled_back', 'failed'].includes(status) || (status === 'completed' && phase === 'done');
      await repo.setStatus(loadId, status, phase, {
        error: extra.error,
        rollbackWindowSeconds: extra.rollbackWindowStarts ? settings.rollbackWindowSeconds : undefined,
        started: status === 'running',
        finished: finished || extra.rollbackWindowStarts,
      });
    },

    /**
     * Snapshot → write → verify for each chunk of a segment, heartbeating the last chunk done. A
     * stop the workflow asked for (requestSegmentsStop) ends it between chunks: it returns what it
     * did, and the workflow compensates once every segment has returned.
     */
    runSegment: (loadId: string, segment: Segment, verify: boolean): Promise<saga.SegmentOutcome> =>
      step(async () => saga.runSegment(await target(loadId), segment.firstChunk, segment.lastChunk,
        { verify, isRetry: Context.current().info.attempt > 1, progress: chunkProgress() })),

    /**
     * `lanes` when the connector's records are undone independently (ConnectorDefinition.independentRollback)
     * and no record of the load shares its target with another: rollbacks may then run side by side. Else 1.
     */
    async rollbackLanes(loadId: string, lanes: number): Promise<number> {
      const load = await repo.load(loadId);
      if (!findConnector(load.connector)?.independentRollback) return 1;
      return await repo.recordsShareTargets(loadId) ? 1 : lanes;
    },

    async requestSegmentsStop(loadId: string): Promise<void> {
      await repo.requestStop(loadId);
    },

    planSegment: (loadId: string, segment: Segment): Promise<Partial<ChunkCounts>> =>
      step(async () => saga.planSegment(await target(loadId), segment.firstChunk, segment.lastChunk, chunkProgress())),

    rollbackSegment: (loadId: string, segment: Segment): Promise<RollbackCounts> =>
      step(async () => saga.rollbackSegment(await target(loadId), segment.firstChunk, segment.lastChunk, chunkProgress())),
  };
}

const PROGRESS_EVERY_MS = 1_000;

/**
 * Progress inside a long activity, for the Web UI and for noticing a dead worker: the chunk last
 * done, at most once a second. Each heartbeat's details are encoded and encrypted by the codec
 * before Temporal's own throttling drops most of them (3% of the worker's CPU at one per chunk).
 */
function chunkProgress(): (chunk: number) => void {
  let sentAt = -Infinity;
  return (chunk) => {
    const now = performance.now();
    if (now - sentAt < PROGRESS_EVERY_MS) return;
    sentAt = now;
    Context.current().heartbeat({ chunkDone: chunk });
  };
}

export type LoadActivities = ReturnType<typeof createLoadActivities>;

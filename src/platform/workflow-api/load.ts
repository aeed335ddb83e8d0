import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ChunkCounts, LoadPhase, LoadStatus, RollbackCounts } from '../load/model';

/**
 * The load workflow's interface: its name, input, signals and query, imported by the workflow that
 * implements it and by the gateway that starts and signals it, so neither can drift.
 */
export const LOAD_WORKFLOW = 'loadWorkflow';

export interface LoadWorkflowInput {
  loadId: string;
  tenantId: string;
}

/** Stop writing and roll back what was written. */
export const cancelLoadSignal = defineSignal('cancel');
/** During the rollback window after completion: undo the whole load. */
export const rollbackLoadSignal = defineSignal('rollback');
export const loadSignals = { cancel: cancelLoadSignal, rollback: rollbackLoadSignal } as const;
export type LoadSignalName = keyof typeof loadSignals;

export interface LoadProgress {
  status: LoadStatus;
  phase: LoadPhase;
  chunks: { total: number; done: number };
  counts: ChunkCounts & RollbackCounts;
  error?: string;
}
/**
 * Live progress, for the Temporal Web UI and CLI. The gateway reads loads from Postgres only
 * (GET /v1/loads/:id), where every step records its outcome per record.
 */
export const loadProgressQuery = defineQuery<LoadProgress>('progress');

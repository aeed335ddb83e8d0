/**
 * The load's vocabulary, one name per concept, shared by the gateway, the repository, the saga's
 * steps and the workflow (pure types and constants: safe inside the workflow sandbox).
 */
export const loadStatuses = ['pending', 'running', 'completed', 'failed', 'cancelling', 'cancelled', 'rolling_back', 'rolled_back'] as const;
export type LoadStatus = (typeof loadStatuses)[number];

export const recordStatuses = ['pending', 'created', 'updated', 'deleted', 'unchanged', 'failed', 'rolled_back', 'rollback_failed'] as const;
export type RecordStatus = (typeof recordStatuses)[number];

export type LoadPhase = 'starting' | 'writing' | 'planning' | 'waiting_for_rollback_window' | 'rolling_back' | 'done';

/** How long after completion a load can still be rolled back, unless the load says otherwise. */
export const DEFAULT_ROLLBACK_WINDOW_SECONDS = 86_400;
export const MAX_ROLLBACK_WINDOW_SECONDS = 30 * 86_400;

export interface LoadOptions {
  dryRun: boolean;
  verify: boolean;
  onError: 'rollback' | 'continue';
  rollbackWindowSeconds: number;
}

/** What the workflow needs to know to run a load: read from Postgres by the first activity. */
export interface LoadRunSettings extends LoadOptions {
  chunkCount: number;
  /**
   * Segments run at once. Decided by the activity that starts the load (so a change reaches only
   * loads started after it: histories replay with the value they recorded); absent in older ones.
   */
  segmentLanes?: number;
}

/** What one chunk's step changed, added up by the workflow into its progress. */
export interface ChunkCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  verified: number;
  mismatched: number;
}

export interface RollbackCounts {
  rolledBack: number;
  rollbackFailed: number;
}

export function emptyChunkCounts(partial: Partial<ChunkCounts> = {}): ChunkCounts {
  return { created: 0, updated: 0, deleted: 0, unchanged: 0, failed: 0, verified: 0, mismatched: 0, ...partial };
}

import { defineQuery } from '@temporalio/workflow';
import type { ActivityError, PollingStatus } from './polling';

export const BRIDGE_WORKFLOW = 'bridgeWorkflow';

export type BridgeSideName = 'slack' | 'teams';

export interface BridgeError extends ActivityError {
  side?: BridgeSideName;
}

/** One direction of a bridge (named by its origin side: 'slack' is Slack -> Teams). */
export interface BridgeDirectionStatus {
  /** Creates, updates and deletes made on the other side, over all runs. */
  copied: number;
  /** When the last of them was made. */
  lastCopyAt: string | null;
  /**
   * Seconds between the last copied change happening at its origin (posted, edited, deleted, as the
   * system stamps it) and its copy being made: polling interval, paging and pacing included.
   */
  lagSeconds: number | null;
  /** The last failure of a sync in this direction (kept after later syncs succeed, with its time). */
  lastError: (BridgeError & { at: string }) | null;
}

export function emptyDirection(): BridgeDirectionStatus {
  return { copied: 0, lastCopyAt: null, lagSeconds: null, lastError: null };
}

/** What the `status` query answers; also what a run hands to the next one at continue-as-new. */
export interface BridgeState {
  status: PollingStatus;
  lastSyncAt: string | null;
  /** Creates, updates and deletes made on the other side, per origin side, over all runs. */
  copied: Record<BridgeSideName, number>;
  /** Changes dropped as the bridge's own posts or known copies, per side. */
  dropped: Record<BridgeSideName, number>;
  failed: number;
  lastError: BridgeError | null;
  /** Per direction, keyed by origin side (absent in a state carried over from before it existed). */
  directions?: Record<BridgeSideName, BridgeDirectionStatus>;
  /** Syncs (one side each) over all runs. */
  polls: number;
  pollsThisRun: number;
  runs: number;
}
export const bridgeStatusQuery = defineQuery<BridgeState>('status');

export interface BridgeWorkflowInput {
  bridgeId: string;
  tenantId: string;
  intervalSeconds: number;
  /** Syncs per run before continue-as-new (DEFAULT_POLLS_PER_RUN). */
  pollsPerRun?: number;
  state?: BridgeState;
}

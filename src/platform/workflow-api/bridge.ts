import { defineQuery } from '@temporalio/workflow';
import type { ActivityError, PollingStatus } from './polling';

export const BRIDGE_WORKFLOW = 'bridgeWorkflow';

export type BridgeSideName = 'slack' | 'teams';

export interface BridgeError extends ActivityError {
  side?: BridgeSideName;
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

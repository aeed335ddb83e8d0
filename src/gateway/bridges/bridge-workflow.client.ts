import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AppConfig } from '../../platform/config';
import { ForgeTenant } from '../../platform/search-attributes';
import { workflowIds } from '../../platform/temporal';
import { CONFIG, TEMPORAL_CLIENT } from '../tokens';

export type BridgeSignal = 'pause' | 'resume' | 'stop';

/** What workflows/bridge.ts answers to its `status` query (kept structurally: the gateway never imports workflow code). */
export interface BridgeWorkflowState {
  status: 'running' | 'paused' | 'stopped';
  lastSyncAt: string | null;
  copied: { slack: number; teams: number };
  dropped: { slack: number; teams: number };
  failed: number;
  lastError: { message: string; kind?: string; side?: string } | null;
  polls: number;
  pollsThisRun: number;
  runs: number;
}

const QUERY_TIMEOUT_MS = 2_000;

/** Starts, signals and queries `bridgeWorkflow` (workflows/bridge.ts). */
@Injectable()
export class BridgeWorkflowClient {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client, @Inject(CONFIG) private readonly config: AppConfig) {}

  async start(b: { tenantId: string; bridgeId: string; intervalSeconds: number; pollsPerRun: number }): Promise<void> {
    await this.client.workflow.start('bridgeWorkflow', {
      workflowId: workflowIds.bridge(b.tenantId, b.bridgeId),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [{ bridgeId: b.bridgeId, tenantId: b.tenantId, intervalSeconds: b.intervalSeconds, pollsPerRun: b.pollsPerRun }],
      typedSearchAttributes: [{ key: ForgeTenant, value: b.tenantId }],
    });
  }

  /** False when the workflow no longer exists or has already closed. */
  async signal(tenantId: string, bridgeId: string, signal: BridgeSignal): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowIds.bridge(tenantId, bridgeId)).signal(signal);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  async status(tenantId: string, bridgeId: string): Promise<BridgeWorkflowState | null> {
    const handle = this.client.workflow.getHandle(workflowIds.bridge(tenantId, bridgeId));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), QUERY_TIMEOUT_MS); });
    try {
      return await Promise.race([handle.query<BridgeWorkflowState>('status'), timeout]);
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

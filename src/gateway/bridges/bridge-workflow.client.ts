import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../platform/config';
import { ForgeTenant } from '../../platform/search-attributes';
import { workflowIds } from '../../platform/temporal';
import { BRIDGE_WORKFLOW, bridgeStatusQuery, pollingSignals, type BridgeState, type BridgeWorkflowInput, type PollingSignalName } from '../../platform/workflow-api';
import { queryQuickly, signalIfRunning } from '../temporal/workflow-handles';
import { CONFIG, TEMPORAL_CLIENT } from '../tokens';

export type BridgeSignal = PollingSignalName;
export type BridgeWorkflowState = BridgeState;


/** Starts, signals and queries `bridgeWorkflow` (workflows/bridge.ts). */
@Injectable()
export class BridgeWorkflowClient {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client, @Inject(CONFIG) private readonly config: AppConfig) {}

  async start(b: { tenantId: string; bridgeId: string; intervalSeconds: number; pollsPerRun: number }): Promise<void> {
    await this.client.workflow.start(BRIDGE_WORKFLOW, {
      workflowId: workflowIds.bridge(b.tenantId, b.bridgeId),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [{ bridgeId: b.bridgeId, tenantId: b.tenantId, intervalSeconds: b.intervalSeconds, pollsPerRun: b.pollsPerRun } satisfies BridgeWorkflowInput],
      typedSearchAttributes: [{ key: ForgeTenant, value: b.tenantId }],
    });
  }

  /** False when the workflow no longer exists or has already closed. */
  signal(tenantId: string, id: string, signal: BridgeSignal): Promise<boolean> {
    return signalIfRunning(this.client, workflowIds.bridge(tenantId, id), pollingSignals[signal]);
  }

  /** The live state of a running bridge, or null when it cannot be had quickly (closed, no worker, Temporal down). */
  status(tenantId: string, id: string): Promise<BridgeState | null> {
    return queryQuickly(this.client, workflowIds.bridge(tenantId, id), bridgeStatusQuery);
  }
}

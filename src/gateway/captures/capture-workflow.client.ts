import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../platform/config';
import { ForgeConnector, ForgeObject, ForgeTenant } from '../../platform/search-attributes';
import { workflowIds } from '../../platform/temporal';
import { CAPTURE_WORKFLOW, captureStatusQuery, pollingSignals, type CaptureState, type CaptureWorkflowInput, type PollingSignalName } from '../../platform/workflow-api';
import { queryQuickly, signalIfRunning } from '../temporal/workflow-handles';
import { CONFIG, TEMPORAL_CLIENT } from '../tokens';

export type CaptureSignal = PollingSignalName;
export type CaptureWorkflowState = CaptureState;


export interface CaptureToStart {
  tenantId: string;
  captureId: string;
  connector: string;
  object: string;
  intervalSeconds: number;
  pollsPerRun: number;
}

/** Starts, signals and queries `captureWorkflow` (written in workflows/capture.ts); the gateway never runs it. */
@Injectable()
export class CaptureWorkflowClient {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client, @Inject(CONFIG) private readonly config: AppConfig) {}

  async start(c: CaptureToStart): Promise<void> {
    await this.client.workflow.start(CAPTURE_WORKFLOW, {
      workflowId: workflowIds.capture(c.tenantId, c.captureId),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [{
        captureId: c.captureId, tenantId: c.tenantId, intervalSeconds: c.intervalSeconds,
        connector: c.connector, object: c.object, pollsPerRun: c.pollsPerRun,
      } satisfies CaptureWorkflowInput],
      typedSearchAttributes: [
        { key: ForgeTenant, value: c.tenantId },
        { key: ForgeConnector, value: c.connector },
        { key: ForgeObject, value: c.object },
      ],
    });
  }

  /** False when the workflow no longer exists or has already closed. */
  signal(tenantId: string, id: string, signal: CaptureSignal): Promise<boolean> {
    return signalIfRunning(this.client, workflowIds.capture(tenantId, id), pollingSignals[signal]);
  }

  /** The live state of a running capture, or null when it cannot be had quickly (closed, no worker, Temporal down). */
  status(tenantId: string, id: string): Promise<CaptureState | null> {
    return queryQuickly(this.client, workflowIds.capture(tenantId, id), captureStatusQuery);
  }
}

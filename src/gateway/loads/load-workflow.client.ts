import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../platform/config';
import { ForgeConnector, ForgeLoadStatus, ForgeObject, ForgeTenant } from '../../platform/search-attributes';
import { workflowIds } from '../../platform/temporal';
import { LOAD_WORKFLOW, loadSignals, type LoadSignalName, type LoadWorkflowInput } from '../../platform/workflow-api';
import { signalIfRunning } from '../temporal/workflow-handles';
import { CONFIG, TEMPORAL_CLIENT } from '../tokens';


/** A client waiting on POST /v1/loads should not wait out every reconnect attempt to a Temporal that is down. */
const START_DEADLINE_MS = 10_000;

/** Starts and signals `loadWorkflow` (written in workflows/load.ts); the gateway never runs it. */
@Injectable()
export class LoadWorkflowClient {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client, @Inject(CONFIG) private readonly config: AppConfig) {}

  async start(load: { tenantId: string; loadId: string; connector: string; object: string }): Promise<void> {
    await this.client.withDeadline(Date.now() + START_DEADLINE_MS, () => this.client.workflow.start(LOAD_WORKFLOW, {
      workflowId: workflowIds.load(load.tenantId, load.loadId),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [{ loadId: load.loadId, tenantId: load.tenantId } satisfies LoadWorkflowInput],
      typedSearchAttributes: [
        { key: ForgeTenant, value: load.tenantId },
        { key: ForgeConnector, value: load.connector },
        { key: ForgeObject, value: load.object },
        { key: ForgeLoadStatus, value: 'pending' },
      ],
    }));
  }

  /** False when the workflow no longer exists or has already closed. */
  signal(tenantId: string, loadId: string, signal: LoadSignalName): Promise<boolean> {
    return signalIfRunning(this.client, workflowIds.load(tenantId, loadId), loadSignals[signal]);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AppConfig } from '../../platform/config';
import { ForgeConnector, ForgeLoadStatus, ForgeObject, ForgeTenant } from '../../platform/search-attributes';
import { workflowIds } from '../../platform/temporal';
import { CONFIG, TEMPORAL_CLIENT } from '../tokens';

export type LoadSignal = 'cancel' | 'rollback';

/** A client waiting on POST /v1/loads should not wait out every reconnect attempt to a Temporal that is down. */
const START_DEADLINE_MS = 10_000;

/** Starts and signals `loadWorkflow` (written in workflows/load.ts); the gateway never runs it. */
@Injectable()
export class LoadWorkflowClient {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client, @Inject(CONFIG) private readonly config: AppConfig) {}

  async start(load: { tenantId: string; loadId: string; connector: string; object: string }): Promise<void> {
    await this.client.withDeadline(Date.now() + START_DEADLINE_MS, () => this.client.workflow.start('loadWorkflow', {
      workflowId: workflowIds.load(load.tenantId, load.loadId),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [{ loadId: load.loadId, tenantId: load.tenantId }],
      typedSearchAttributes: [
        { key: ForgeTenant, value: load.tenantId },
        { key: ForgeConnector, value: load.connector },
        { key: ForgeObject, value: load.object },
        { key: ForgeLoadStatus, value: 'pending' },
      ],
    }));
  }

  /** False when the workflow no longer exists or has already closed. */
  async signal(tenantId: string, loadId: string, signal: LoadSignal): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowIds.load(tenantId, loadId)).signal(signal);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }
}

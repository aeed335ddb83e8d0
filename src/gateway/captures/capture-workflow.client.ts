import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AppConfig } from '../../platform/config';
import { ForgeConnector, ForgeObject, ForgeTenant } from '../../platform/search-attributes';
import { workflowIds } from '../../platform/temporal';
import { CONFIG, TEMPORAL_CLIENT } from '../tokens';

export type CaptureSignal = 'pause' | 'resume' | 'stop';

/** What workflows/capture.ts answers to its `status` query (kept structurally: the gateway never imports workflow code). */
export interface CaptureWorkflowState {
  status: 'running' | 'paused' | 'stopped';
  lastPollAt: string | null;
  cursorSummary: string | null;
  lagSeconds: number | null;
  eventsCaptured: number;
  lastError: { message: string; kind?: string } | null;
  polls: number;
  pollsThisRun: number;
  runs: number;
}

export interface CaptureToStart {
  tenantId: string;
  captureId: string;
  connector: string;
  object: string;
  intervalSeconds: number;
  pollsPerRun: number;
}

const QUERY_TIMEOUT_MS = 2_000;

/** Starts, signals and queries `captureWorkflow` (written in workflows/capture.ts); the gateway never runs it. */
@Injectable()
export class CaptureWorkflowClient {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client, @Inject(CONFIG) private readonly config: AppConfig) {}

  async start(c: CaptureToStart): Promise<void> {
    await this.client.workflow.start('captureWorkflow', {
      workflowId: workflowIds.capture(c.tenantId, c.captureId),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [{
        captureId: c.captureId, tenantId: c.tenantId, intervalSeconds: c.intervalSeconds,
        connector: c.connector, object: c.object, pollsPerRun: c.pollsPerRun,
      }],
      typedSearchAttributes: [
        { key: ForgeTenant, value: c.tenantId },
        { key: ForgeConnector, value: c.connector },
        { key: ForgeObject, value: c.object },
      ],
    });
  }

  /** False when the workflow no longer exists or has already closed. */
  async signal(tenantId: string, captureId: string, signal: CaptureSignal): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowIds.capture(tenantId, captureId)).signal(signal);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /** The live state of a running capture, or null when it cannot be had quickly (closed, no worker, Temporal down). */
  async status(tenantId: string, captureId: string): Promise<CaptureWorkflowState | null> {
    const handle = this.client.workflow.getHandle(workflowIds.capture(tenantId, captureId));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), QUERY_TIMEOUT_MS); });
    try {
      return await Promise.race([handle.query<CaptureWorkflowState>('status'), timeout]);
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

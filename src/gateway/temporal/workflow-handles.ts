import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { QueryDefinition, SignalDefinition } from '@temporalio/common';

const QUERY_TIMEOUT_MS = 2_000;

/** Signals a workflow by id; false when it no longer exists or has already closed. */
export async function signalIfRunning(client: Client, workflowId: string, signal: SignalDefinition): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).signal(signal);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** A workflow's query answer, or null when it cannot be had quickly (closed, no worker, Temporal down). */
export async function queryQuickly<T>(client: Client, workflowId: string, query: QueryDefinition<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), QUERY_TIMEOUT_MS); });
  try {
    return await Promise.race([client.workflow.getHandle(workflowId).query(query), timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

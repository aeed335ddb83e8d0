import { Connection } from '@temporalio/client';

type DescribeRequest = Parameters<Connection['workflowService']['describeTaskQueue']>[0];
/** temporal.api.enums.v1.TaskQueueType: WORKFLOW = 1, ACTIVITY = 2 (@temporalio/proto is not a dependency of ours). */
const TASK_QUEUE_TYPES = [1, 2] as unknown as Array<NonNullable<DescribeRequest['taskQueueType']>>;

/**
 * Resolves once a worker polls `taskQueue` for both workflow and activity tasks: the moment a load
 * started through the gateway begins to run, rather than waiting in Temporal (the worker bundles
 * the workflows first, which takes a while on a busy machine).
 */
export async function waitForWorker(address: string, taskQueue: string, timeoutMs: number, stillWaiting: () => boolean = () => true): Promise<boolean> {
  const connection = await Connection.connect({ address });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline && stillWaiting()) {
      const polled = await Promise.all(TASK_QUEUE_TYPES.map(async (taskQueueType) => {
        const res = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType });
        return (res.pollers?.length ?? 0) > 0;
      }));
      if (polled.every(Boolean)) return true;
      await new Promise((r) => setTimeout(r, 250));
    }
    return false;
  } finally {
    await connection.close();
  }
}

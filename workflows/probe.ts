import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ProbeActivities } from '../activities/probe';

const { probeDatabase } = proxyActivities<ProbeActivities>({ startToCloseTimeout: '10 seconds' });

/** Proves the whole path: server → worker → workflow sandbox → activity → Postgres and back. */
export async function probeWorkflow(message: string): Promise<{ message: string; workflowId: string; database: string }> {
  const database = await probeDatabase();
  return { message, workflowId: workflowInfo().workflowId, database };
}

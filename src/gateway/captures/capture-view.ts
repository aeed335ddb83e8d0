import { redactValue } from '../../platform/credentials/redact';
import type { CaptureRow } from '../../platform/db/repositories/captures';
import type { CaptureWorkflowState } from './capture-workflow.client';

/**
 * GET /v1/captures/:id: the row in Postgres (the cursor, the counts the Stream holds), enriched
 * with the workflow's live state while it runs (a pause or resume shows as soon as the workflow
 * took it; lag and poll counts exist only there), and the time of the newest change it captured. A
 * stopped capture is stopped whatever the workflow says.
 */
export function captureView(row: CaptureRow, live: CaptureWorkflowState | null, lastChangeAt: Date | null = null) {
  const status = row.status === 'stopped' || !live ? row.status : live.status;
  const lastError = row.lastError ?? (row.status === 'stopped' ? null : live?.lastError ?? null);
  return {
    id: row.id,
    connectionId: row.connectionId,
    connector: row.connector,
    object: row.object,
    status,
    intervalSeconds: row.intervalSeconds,
    lastPollAt: row.lastPollAt?.toISOString() ?? null,
    /** When the newest change captured happened: the cursor's position in time. */
    lastChangeAt: lastChangeAt?.toISOString() ?? null,
    ...(live?.lagSeconds !== undefined && live?.lagSeconds !== null ? { lagSeconds: live.lagSeconds } : {}),
    eventsCaptured: row.eventsCaptured,
    ...(lastError ? { lastError: redactValue(lastError) } : {}),
    cursor: redactValue(row.cursor ?? null),
    ...(live ? { polls: live.polls, runs: live.runs + 1 } : {}),
    createdAt: row.createdAt.toISOString(),
    stoppedAt: row.stoppedAt?.toISOString() ?? null,
  };
}

import { ConnectorError, isConnectorError } from '../../platform/errors';
import { pollJob, sleep } from '../kit';
import type { JobResult, JobStatus, ZendeskApi } from './api';
import { SYSTEM } from './auth';

export interface JobOptions {
  /** ConnectorContext.heartbeat: called after every poll, so Temporal sees the activity alive. */
  heartbeat?: (progress: unknown) => void;
  intervalMs?: number;
  wait?: (ms: number) => Promise<void>;
}

/**
 * Polls a Zendesk background job (create_many, update_many, destroy_many) to completion with the
 * kit's pollJob, heartbeating each poll, and answers its per-item results. A poll refused with 429
 * waits out Retry-After and polls again instead of failing: the job is already running, and a
 * retried activity would send the whole batch a second time. A job Zendesk reports `failed` as a
 * whole is transient (the activity retries it).
 */
export async function runJob(api: ZendeskApi, queued: JobStatus, options: JobOptions = {}): Promise<JobResult[]> {
  const wait = options.wait ?? sleep;
  let last = queued;
  const done = await pollJob<JobStatus>({
    system: SYSTEM,
    describe: `zendesk job ${queued.id}`,
    intervalMs: options.intervalMs,
    wait,
    poll: async () => {
      try {
        last = await api.jobStatus(queued.id);
      } catch (err) {
        if (!isConnectorError(err) || err.status !== 429) throw err;
        await wait(err.retryAfterMs ?? 1000);
      }
      return last;
    },
    isDone: (status) => status.status === 'completed',
    failure: (status) => (status.status === 'failed'
      ? new ConnectorError({ kind: 'transient', system: SYSTEM, message: `zendesk job ${status.id} failed: ${status.message ?? 'no message'}` })
      : undefined),
    heartbeat: (status) => options.heartbeat?.({ job: status.id, status: status.status, progress: status.progress ?? 0, total: status.total ?? null }),
  });
  return Array.isArray(done.results) ? done.results : [];
}

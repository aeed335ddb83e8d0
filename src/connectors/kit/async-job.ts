import { ConnectorError } from '../../platform/errors';

/**
 * Asynchronous write jobs (Zendesk job_statuses, NetSuite `Prefer: respond-async`, Snowflake
 * statement handles): the system accepts the work and answers with a job to poll. The job is polled
 * to completion inside the activity, each poll heartbeated so Temporal sees the activity alive and
 * a dead worker is noticed by the heartbeat timeout.
 */
export interface AsyncJobOptions<S> {
  system: string;
  /** What the job is, for messages: 'zendesk job 8b7…'. */
  describe: string;
  poll(): Promise<S>;
  /** The job has finished (successfully or not: per-record results are read from the status). */
  isDone(status: S): boolean;
  /** The job as a whole failed: the error to throw. */
  failure?(status: S): ConnectorError | undefined;
  /** Called after every poll (ConnectorContext.heartbeat). */
  heartbeat?(status: S): void;
  /** First wait between polls; doubles up to maxIntervalMs. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** How long a job may run before the activity gives up on this attempt (transient: retried). */
  timeoutMs?: number;
  wait?: (ms: number) => Promise<void>;
  now?: () => number;
}

export async function pollJob<S>(options: AsyncJobOptions<S>): Promise<S> {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 10 * 60_000);
  let interval = options.intervalMs ?? 250;
  for (;;) {
    const status = await options.poll();
    options.heartbeat?.(status);
    const failed = options.failure?.(status);
    if (failed) throw failed;
    if (options.isDone(status)) return status;
    if (now() >= deadline) {
      throw new ConnectorError({
        kind: 'transient',
        system: options.system,
        message: `${options.describe} had not finished after ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s; the attempt is retried and polls the job again`,
      });
    }
    await wait(interval);
    interval = Math.min(interval * 2, options.maxIntervalMs ?? 5_000);
  }
}

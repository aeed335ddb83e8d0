import { z } from 'zod';

export const MAX_INTERVAL_SECONDS = 86_400;
export const MAX_POLLS_PER_RUN = 10_000;

export const createCaptureBody = z.object({
  connectionId: z.string().min(1),
  object: z.string().min(1),
  intervalSeconds: z.number().int().min(1).max(MAX_INTERVAL_SECONDS).default(60),
  options: z.object({
    /** Polls per workflow run before continue-as-new (history length bound); operators rarely change it. */
    pollsPerRun: z.number().int().min(1).max(MAX_POLLS_PER_RUN).default(500),
  }).strict().prefault({}),
}).strict();

export type CreateCaptureBody = z.output<typeof createCaptureBody>;

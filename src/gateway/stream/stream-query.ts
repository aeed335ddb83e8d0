import { z } from 'zod';

export const MAX_STREAM_PAGE = 1000;

/**
 * GET /v1/stream query. Offsets are JSON integers in answers (`offset`, `next`); `after` takes the
 * same number as a decimal string. Offsets are strictly increasing and never reused.
 */
export const streamQuery = z.object({
  connectionId: z.string().min(1, { message: 'connectionId is required' }),
  object: z.string().min(1).optional(),
  op: z.enum(['upsert', 'delete']).optional(),
  /** Events whose record id contains this text (case-sensitive). */
  recordIdContains: z.string().min(1).max(200).optional(),
  after: z.string().regex(/^\d{1,15}$/, { message: 'after must be an offset (a non-negative integer) from a previous answer' })
    .transform(Number).default(0),
  limit: z.string().regex(/^\d+$/, { message: 'limit must be an integer' }).transform(Number)
    .pipe(z.number().int().min(1, { message: 'limit must be at least 1' }).max(MAX_STREAM_PAGE, { message: `limit must be at most ${MAX_STREAM_PAGE}` }))
    .default(100),
}).strict();

export type StreamQueryInput = z.output<typeof streamQuery>;

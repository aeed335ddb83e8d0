import { json, ReplyError, type HandlerContext, type Reply, type StoredRecord } from '../kit';
import { fail, nonexistent } from './errors';
import { executeRecordRequest, type RecordRequest } from './record-service';
import { ASYNC_JOBS } from './records';

/**
 * Asynchronous requests (REST Web Services Request Processing, chapter_161251386312; Sending an
 * Asynchronous Request, subsect_161278579295; Polling for the Status, subsect_161252896355; Getting
 * the Result, subsect_161252889998): a record request sent with `Prefer: respond-async` answers 202
 * Accepted, `Preference-Applied: respond-async` and `Location: /services/rest/async/v1/job/{id}`.
 * The job runs once `delayMs` of sandbox time has passed, when it is next looked at; its single task
 * then holds the answer the synchronous request would have given. A request repeated with the same
 * `X-NetSuite-Idempotency-Key` gets the job it created the first time (the idempotent retry
 * mechanism the chapter describes), so a retried submission never writes twice.
 */
export const IDEMPOTENCY_HEADER = 'x-netsuite-idempotency-key';

interface JobFields {
  request: RecordRequest;
  idempotencyKey: string | null;
  submittedAtMs: number;
  result: { status: number; headers: Record<string, string>; body: unknown } | null;
  startTime: string | null;
  endTime: string | null;
}

const jobPath = (id: string) => `/services/rest/async/v1/job/${id}`;

export function submitJob(request: RecordRequest, idempotencyKey: string | undefined, ctx: HandlerContext): Reply {
  const existing = idempotencyKey
    ? ctx.records.findLatest(ASYNC_JOBS, (r) => (r.fields as unknown as JobFields).idempotencyKey === idempotencyKey)
    : undefined;
  const job = existing ?? ctx.records.insert(ASYNC_JOBS, {
    fields: { request, idempotencyKey: idempotencyKey ?? null, submittedAtMs: ctx.clock.nowMs(), result: null, startTime: null, endTime: null } satisfies JobFields as unknown as Record<string, unknown>,
  });
  return { status: 202, headers: { location: jobPath(job.id), 'preference-applied': 'respond-async' } };
}

/** The job, run first if its time has come. */
function advance(id: string, delayMs: number, ctx: HandlerContext): { job: StoredRecord; fields: JobFields } {
  const job = ctx.records.latest(ASYNC_JOBS, id);
  if (!job) fail(404, nonexistent());
  const fields = job.fields as unknown as JobFields;
  if (fields.result === null && ctx.clock.nowMs() - fields.submittedAtMs >= delayMs) {
    const startTime = ctx.clock.nowIso();
    let reply: Reply;
    try {
      reply = executeRecordRequest(fields.request, ctx);
    } catch (err) {
      if (!(err instanceof ReplyError)) throw err;
      reply = err.reply;
    }
    const result = { status: reply.status, headers: reply.headers ?? {}, body: reply.body ?? null };
    const updated = ctx.records.update(ASYNC_JOBS, id, { result, startTime, endTime: ctx.clock.nowIso() })!;
    return { job: updated, fields: updated.fields as unknown as JobFields };
  }
  return { job, fields };
}

const progressOf = (fields: JobFields) => (fields.result === null ? 'pending' : fields.result.status < 400 ? 'succeeded' : 'failed');

export function jobRoutes(delayMs: () => number) {
  return {
    job(id: string, ctx: HandlerContext): Reply {
      const { fields } = advance(id, delayMs(), ctx);
      const self = `${ctx.baseUrl}${jobPath(id)}`;
      return json(200, {
        links: [{ rel: 'self', href: self }], completed: fields.result !== null, id, progress: progressOf(fields),
        task: { links: [{ rel: 'self', href: `${self}/task` }] },
      });
    },
    tasks(id: string, ctx: HandlerContext): Reply {
      advance(id, delayMs(), ctx);
      const self = `${ctx.baseUrl}${jobPath(id)}/task`;
      return json(200, { links: [{ rel: 'self', href: self }], count: 1, hasMore: false, items: [{ links: [{ rel: 'self', href: `${self}/1` }] }], offset: 0, totalResults: 1 });
    },
    task(id: string, taskId: string, ctx: HandlerContext): Reply {
      if (taskId !== '1') fail(404, nonexistent());
      const { fields } = advance(id, delayMs(), ctx);
      const self = `${ctx.baseUrl}${jobPath(id)}/task/1`;
      return json(200, {
        links: [{ rel: 'related', href: `${self}/result` }, { rel: 'self', href: self }],
        completed: fields.result !== null, id: '1', progress: progressOf(fields),
        ...(fields.startTime ? { startTime: fields.startTime.slice(0, 19) + 'Z' } : {}), ...(fields.endTime ? { endTime: fields.endTime.slice(0, 19) + 'Z' } : {}),
      });
    },
    result(id: string, taskId: string, ctx: HandlerContext): Reply {
      if (taskId !== '1') fail(404, nonexistent());
      const { fields } = advance(id, delayMs(), ctx);
      if (fields.result === null) fail(404, { detail: 'The task has not finished: its result is not available yet.', code: 'NONEXISTENT_ID' });
      const { status, headers, body } = fields.result;
      return { status, headers, ...(body === null ? {} : { body }) };
    },
  };
}

import { randomBytes } from 'node:crypto';
import { json, type HandlerContext, type Reply, type Route, type StoredRecord } from '../kit';
import { badRequest, recordNotFound } from './errors';
import { asObject, checkTicket, checkUser, softDeleteUser, TICKETS, USERS, type Checked } from './records';

/**
 * Background jobs (developer.zendesk.com, Job Statuses): create_many, update_many and destroy_many
 * for tickets and users answer `{ job_status: { id, url, status: 'queued', total, progress: null,
 * results: null } }` at once and do the work later. GET /api/v2/job_statuses/{id} shows it going
 * queued -> working -> completed; the work happens when it completes, and `results` then holds one
 * entry per item: { index, id, action, success, status } or, for an item that failed,
 * { index, id?, action, success: false, status: 'Failed', error, details: '<Field>: <message>' }.
 * The whole job only fails ('failed') for reasons outside the items, which the sandbox never has.
 */
export const JOBS = 'job_statuses';
export const BULK_LIMIT = 100;

type Resource = typeof TICKETS | typeof USERS;
type Action = 'create' | 'update' | 'destroy';

interface PendingWork {
  resource: Resource;
  action: Action;
  items: unknown[];
}

const JOB_TYPES: Record<Resource, Record<Action, string>> = {
  tickets: { create: 'ticket_create_many', update: 'ticket_update_many', destroy: 'ticket_destroy_many' },
  users: { create: 'user_create_many', update: 'user_update_many', destroy: 'user_destroy_many' },
};
const FAILURE_CODES: Record<Resource, Record<Action, string>> = {
  tickets: { create: 'TicketCreateFailed', update: 'TicketUpdateFailed', destroy: 'TicketDestroyFailed' },
  users: { create: 'UserCreateFailed', update: 'UserUpdateError', destroy: 'UserDestroyFailed' },
};

export function presentJob(job: StoredRecord, baseUrl: string): Record<string, unknown> {
  const f = job.fields;
  return {
    id: job.id,
    url: `${baseUrl}/api/v2/job_statuses/${job.id}.json`,
    job_type: f.job_type,
    total: f.total,
    progress: f.progress,
    status: f.status,
    message: f.message,
    results: f.results,
  };
}

/** Queues a job for `items` (at most BULK_LIMIT) and answers its status. */
export function queueJob(ctx: HandlerContext, resource: Resource, action: Action, items: unknown[]): Reply {
  if (items.length === 0) return badRequest('InvalidValue', `${resource} must hold at least one item`);
  if (items.length > BULK_LIMIT) return badRequest('TooManyValues', `${resource} accepts at most ${BULK_LIMIT} items per request; this request has ${items.length}`);
  const work: PendingWork = { resource, action, items };
  const job = ctx.records.insert(JOBS, {
    id: randomBytes(16).toString('hex'),
    fields: { job_type: JOB_TYPES[resource][action], total: items.length, progress: null, status: 'queued', message: null, results: null, work, polls: 0 },
  });
  return json(200, { job_status: presentJob(job, ctx.baseUrl) });
}

/** GET /api/v2/job_statuses/{id}: every poll moves the job on; the `pollsToComplete`-th completes it. */
export function jobStatusRoute(pollsToComplete: number): Route {
  return {
    method: 'GET', path: '/api/v2/job_statuses/:id',
    handle: (req, ctx) => {
      const id = req.params.id.replace(/\.json$/, '');
      const job = ctx.records.latest(JOBS, id);
      if (!job) return recordNotFound();
      if (job.fields.status === 'completed' || job.fields.status === 'failed') return json(200, { job_status: presentJob(job, ctx.baseUrl) });
      const polls = Number(job.fields.polls) + 1;
      if (polls < pollsToComplete) {
        const working = ctx.records.update(JOBS, id, { polls, status: 'working', progress: 0 })!;
        return json(200, { job_status: presentJob(working, ctx.baseUrl) });
      }
      const results = runWork(ctx, job.fields.work as PendingWork);
      const done = ctx.records.update(JOBS, id, {
        polls, status: 'completed', progress: results.length, results, work: undefined, message: `Completed at ${ctx.clock.nowIso()}`,
      })!;
      return json(200, { job_status: presentJob(done, ctx.baseUrl) });
    },
  };
}

function runWork(ctx: HandlerContext, work: PendingWork): Array<Record<string, unknown>> {
  return work.items.map((item, index) => {
    const failed = (details: string, id?: number) => ({
      index, ...(id !== undefined ? { id } : {}), action: work.action, success: false, status: 'Failed', error: FAILURE_CODES[work.resource][work.action], details,
    });
    if (work.action === 'destroy') {
      const id = String(item);
      if (!live(ctx, work.resource, id)) return failed(`RecordNotFound: no ${work.resource.slice(0, -1)} ${id}`, Number(id));
      if (work.resource === USERS) softDeleteUser(ctx, id);
      else ctx.records.archive(TICKETS, id);
      return { index, id: Number(id), action: 'destroy', success: true, status: 'Deleted' };
    }
    const input = asObject(item);
    const current = work.action === 'update' ? live(ctx, work.resource, String(input.id)) : undefined;
    if (work.action === 'update' && !current) return failed(`RecordNotFound: no ${work.resource.slice(0, -1)} ${String(input.id)}`, Number(input.id));
    const checked: Checked = work.resource === TICKETS ? checkTicket(input, ctx, current) : checkUser(input, ctx, current);
    if (!checked.ok) return failed(checked.problems.summary(), current ? Number(current.id) : undefined);
    const written = current ? ctx.records.update(work.resource, current.id, checked.fields)! : ctx.records.insert(work.resource, { fields: checked.fields });
    return { index, id: Number(written.id), action: work.action, success: true, status: current ? 'Updated' : 'Created' };
  });
}

function live(ctx: HandlerContext, resource: Resource, id: string): StoredRecord | undefined {
  const record = ctx.records.latest(resource, id);
  return record && !record.archived ? record : undefined;
}

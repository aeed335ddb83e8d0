import { json, type HandlerContext, type Reply, type Route, type SandboxRequest, type StoredRecord } from '../kit';
import { badRequest, recordInvalid, recordNotFound } from './errors';
import { BULK_LIMIT, queueJob } from './jobs';
import { AGENT, asObject, checkTicket, checkUser, presentTicket, presentUser, softDeleteUser, TICKETS, USERS, zendeskTime } from './records';

/**
 * Tickets, deleted tickets and users (Zendesk Support REST API v2). Paths take the optional `.json`
 * suffix Zendesk's own examples use. Reads go through the kit's record view (stale-read applies to
 * search); writes of many records are background jobs (jobs.ts). A deleted ticket is soft-deleted:
 * it leaves every read but GET /api/v2/deleted_tickets, and PUT /api/v2/deleted_tickets/{id}/restore
 * brings it back with its id within 30 days. A deleted user stays readable by id with
 * `active: false`, gives up its email and external id, and cannot be restored.
 */
export const RESTORE_DAYS = 30;

const paths = (path: string): string[] => [path, `${path}.json`];
const idParam = (req: SandboxRequest): string => req.params.id.replace(/\.json$/, '');

function ids(req: SandboxRequest, name = 'ids'): string[] | Reply {
  const list = (req.query.get(name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return badRequest('InvalidValue', `${name} is required`);
  if (list.length > BULK_LIMIT) return badRequest('TooManyValues', `${name} accepts at most ${BULK_LIMIT} values`);
  return list;
}

function live(ctx: HandlerContext, resource: string, id: string): StoredRecord | undefined {
  const record = ctx.records.read(resource, id);
  return record && !record.archived ? record : undefined;
}

function deletedTicket(ctx: HandlerContext, id: string): StoredRecord | undefined {
  const record = ctx.records.latest(TICKETS, id);
  if (!record?.archived || !record.archivedAt) return undefined;
  return ctx.clock.nowMs() - Date.parse(record.archivedAt) <= RESTORE_DAYS * 86_400_000 ? record : undefined;
}

function bulkItems(req: SandboxRequest, key: string): unknown[] {
  const items = asObject(req.body)[key];
  return Array.isArray(items) ? items : [];
}

export function ticketRoutes(): Route[] {
  const one = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const ticket = live(ctx, TICKETS, idParam(req));
    return ticket ? json(200, { ticket: presentTicket(ticket, ctx.baseUrl) }) : recordNotFound();
  };
  return [
    ...paths('/api/v2/tickets/show_many').map((path): Route => ({
      method: 'GET', path,
      handle: (req, ctx) => {
        const list = ids(req);
        if (!Array.isArray(list)) return list;
        const tickets = list.flatMap((id) => live(ctx, TICKETS, id) ?? []).map((t) => presentTicket(t, ctx.baseUrl));
        return json(200, { tickets, next_page: null, previous_page: null, count: tickets.length });
      },
    })),
    ...paths('/api/v2/tickets').map((path): Route => ({
      method: 'GET', path,
      handle: (req, ctx) => {
        const externalId = req.query.get('external_id');
        const tickets = ctx.records.list(TICKETS).filter((t) => !t.archived && (externalId === null || t.fields.external_id === externalId));
        return json(200, { tickets: tickets.slice(0, 100).map((t) => presentTicket(t, ctx.baseUrl)), next_page: null, previous_page: null, count: tickets.length });
      },
    })),
    ...paths('/api/v2/tickets').map((path): Route => ({
      method: 'POST', path,
      handle: (req, ctx) => {
        const checked = checkTicket(asObject(asObject(req.body).ticket), ctx);
        if (!checked.ok) return recordInvalid(checked.problems.details);
        const ticket = ctx.records.insert(TICKETS, { fields: checked.fields });
        return json(201, { ticket: presentTicket(ticket, ctx.baseUrl) });
      },
    })),
    { method: 'GET', path: '/api/v2/tickets/:id', handle: one },
    {
      method: 'DELETE', path: '/api/v2/tickets/:id',
      handle: (req, ctx): Reply => {
        const ticket = live(ctx, TICKETS, idParam(req));
        if (!ticket) return recordNotFound();
        ctx.records.archive(TICKETS, ticket.id);
        return { status: 204 };
      },
    },
    ...paths('/api/v2/tickets/create_many').map((path): Route => ({ method: 'POST', path, handle: (req, ctx) => queueJob(ctx, TICKETS, 'create', bulkItems(req, 'tickets')) })),
    ...paths('/api/v2/tickets/update_many').map((path): Route => ({ method: 'PUT', path, handle: (req, ctx) => queueJob(ctx, TICKETS, 'update', bulkItems(req, 'tickets')) })),
    ...paths('/api/v2/tickets/destroy_many').map((path): Route => ({
      method: 'DELETE', path,
      handle: (req, ctx) => {
        const list = ids(req);
        return Array.isArray(list) ? queueJob(ctx, TICKETS, 'destroy', list) : list;
      },
    })),
    ...paths('/api/v2/deleted_tickets').map((path): Route => ({
      method: 'GET', path,
      handle: (_req, ctx) => {
        const deleted = ctx.records.latestAll(TICKETS).filter((t) => deletedTicket(ctx, t.id));
        return json(200, {
          deleted_tickets: deleted.map((t) => ({
            id: Number(t.id), subject: t.fields.subject ?? null, description: t.fields.description ?? '', previous_state: t.fields.status,
            deleted_at: zendeskTime(t.archivedAt!), actor: { id: AGENT.id, name: AGENT.name },
          })),
          next_page: null, previous_page: null, count: deleted.length,
        });
      },
    })),
    {
      method: 'PUT', path: '/api/v2/deleted_tickets/:id/restore',
      handle: (req, ctx): Reply => {
        const ticket = deletedTicket(ctx, idParam(req));
        if (!ticket) return recordNotFound();
        ctx.records.unarchive(TICKETS, ticket.id);
        return { status: 200 };
      },
    },
  ];
}

export function userRoutes(): Route[] {
  return [
    { method: 'GET', path: '/api/v2/users/me', handle: () => json(200, { user: { id: AGENT.id, name: AGENT.name, role: AGENT.role, active: true } }) },
    { method: 'GET', path: '/api/v2/users/me.json', handle: () => json(200, { user: { id: AGENT.id, name: AGENT.name, role: AGENT.role, active: true } }) },
    ...paths('/api/v2/users/show_many').map((path): Route => ({
      method: 'GET', path,
      handle: (req, ctx) => {
        const byExternal = req.query.has('external_ids');
        const list = ids(req, byExternal ? 'external_ids' : 'ids');
        if (!Array.isArray(list)) return list;
        const users = byExternal
          ? ctx.records.list(USERS).filter((u) => !u.archived && list.includes(String(u.fields.external_id)))
          : list.flatMap((id) => ctx.records.read(USERS, id) ?? []);
        return json(200, { users: users.map((u) => presentUser(u, ctx.baseUrl)), next_page: null, previous_page: null, count: users.length });
      },
    })),
    ...paths('/api/v2/users/search').map((path): Route => ({
      method: 'GET', path,
      handle: (req, ctx) => {
        const query = req.query.get('query') ?? '';
        const externalId = req.query.get('external_id');
        const email = /^email:"?([^"]+)"?$/.exec(query.trim())?.[1]?.toLowerCase();
        if (email === undefined && externalId === null) return badRequest('InvalidValue', 'query must be email:<address> in this sandbox, or give external_id');
        const users = ctx.records.list(USERS).filter((u) => !u.archived
          && (email === undefined || u.fields.email === email) && (externalId === null || u.fields.external_id === externalId));
        return json(200, { users: users.map((u) => presentUser(u, ctx.baseUrl)), next_page: null, previous_page: null, count: users.length });
      },
    })),
    ...paths('/api/v2/users').map((path): Route => ({
      method: 'POST', path,
      handle: (req, ctx) => {
        const checked = checkUser(asObject(asObject(req.body).user), ctx);
        if (!checked.ok) return recordInvalid(checked.problems.details);
        return json(201, { user: presentUser(ctx.records.insert(USERS, { fields: checked.fields }), ctx.baseUrl) });
      },
    })),
    {
      method: 'GET', path: '/api/v2/users/:id',
      handle: (req, ctx) => {
        const user = ctx.records.read(USERS, idParam(req));
        return user ? json(200, { user: presentUser(user, ctx.baseUrl) }) : recordNotFound();
      },
    },
    {
      method: 'DELETE', path: '/api/v2/users/:id',
      handle: (req, ctx) => {
        const user = live(ctx, USERS, idParam(req));
        if (!user) return recordNotFound();
        softDeleteUser(ctx, user.id);
        return json(200, { user: presentUser(ctx.records.latest(USERS, user.id)!, ctx.baseUrl) });
      },
    },
    ...paths('/api/v2/users/create_many').map((path): Route => ({ method: 'POST', path, handle: (req, ctx) => queueJob(ctx, USERS, 'create', bulkItems(req, 'users')) })),
    ...paths('/api/v2/users/update_many').map((path): Route => ({ method: 'PUT', path, handle: (req, ctx) => queueJob(ctx, USERS, 'update', bulkItems(req, 'users')) })),
    ...paths('/api/v2/users/destroy_many').map((path): Route => ({
      method: 'DELETE', path,
      handle: (req, ctx) => {
        const list = ids(req);
        return Array.isArray(list) ? queueJob(ctx, USERS, 'destroy', list) : list;
      },
    })),
  ];
}

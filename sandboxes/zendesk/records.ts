import type { HandlerContext, StoredRecord } from '../kit';
import { Problems } from './errors';

/**
 * Tickets and users as Zendesk Support keeps and answers them (API reference, Tickets and Users,
 * REST API v2). Attributes Zendesk does not know are ignored, as Zendesk ignores them; known ones
 * are checked and refused with Zendesk's `<Field>: <message>` wording.
 */
export const TICKETS = 'tickets';
export const USERS = 'users';

/** The API user (the agent whose email/token authenticates): requester of tickets that name none. */
export const AGENT = { id: 1_900_000_000_001, name: 'Forge Agent', role: 'admin' };

const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
const TYPES = ['problem', 'incident', 'question', 'task'];
const ROLES = ['end-user', 'agent', 'admin'];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const SUBJECT_MAX = 255;

export type Checked = { ok: true; fields: Record<string, unknown> } | { ok: false; problems: Problems };

/** Zendesk's timestamps: whole seconds, UTC, `Z`. */
export function zendeskTime(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

export function checkTicket(input: Record<string, unknown>, ctx: HandlerContext, current?: StoredRecord): Checked {
  const problems = new Problems();
  const fields: Record<string, unknown> = {};
  if (current?.fields.status === 'closed') problems.add('status', 'closed prevents ticket update', 'ClosedTicket');
  if (!current) {
    const comment = asObject(input.comment);
    const body = typeof comment.body === 'string' ? comment.body : typeof comment.html_body === 'string' ? comment.html_body : '';
    if (body.trim() === '') problems.add('description', 'cannot be blank', 'BlankValue');
    else fields.description = body;
  }
  if ('subject' in input) {
    if (input.subject !== null && typeof input.subject !== 'string') problems.add('subject', 'is invalid');
    else if (typeof input.subject === 'string' && input.subject.length > SUBJECT_MAX) problems.add('subject', `is too long (maximum is ${SUBJECT_MAX} characters)`, 'TooLong');
    else fields.subject = input.subject;
  }
  oneOf(input, 'priority', PRIORITIES, fields, problems);
  oneOf(input, 'status', STATUSES, fields, problems);
  oneOf(input, 'type', TYPES, fields, problems);
  if ('tags' in input) {
    if (!Array.isArray(input.tags) || input.tags.some((t) => typeof t !== 'string')) problems.add('tags', 'is invalid');
    else fields.tags = input.tags;
  }
  if ('external_id' in input) fields.external_id = input.external_id === null ? null : String(input.external_id);
  if ('requester_id' in input) {
    if (!isKnownUser(ctx, input.requester_id)) problems.add('requester_id', 'is invalid');
    else fields.requester_id = Number(input.requester_id);
  }
  if ('assignee_id' in input) {
    if (input.assignee_id !== null && Number(input.assignee_id) !== AGENT.id) problems.add('assignee_id', 'is invalid');
    else fields.assignee_id = input.assignee_id === null ? null : Number(input.assignee_id);
  }
  if ('due_at' in input) {
    if (input.due_at !== null && (typeof input.due_at !== 'string' || Number.isNaN(Date.parse(input.due_at)))) problems.add('due_at', 'is invalid');
    else fields.due_at = input.due_at;
  }
  if ('custom_fields' in input) {
    const list = input.custom_fields;
    if (!Array.isArray(list) || list.some((f) => typeof asObject(f).id !== 'number')) problems.add('custom_fields', 'is invalid');
    else fields.custom_fields = list.map((f) => ({ id: asObject(f).id, value: asObject(f).value ?? null }));
  }
  if (!current) {
    fields.requester_id ??= AGENT.id;
    fields.status ??= 'new';
  }
  return problems.empty ? { ok: true, fields } : { ok: false, problems };
}

export function checkUser(input: Record<string, unknown>, ctx: HandlerContext, current?: StoredRecord): Checked {
  const problems = new Problems();
  const fields: Record<string, unknown> = {};
  const name = input.name ?? current?.fields.name;
  if (typeof name !== 'string' || name.trim() === '') problems.add('name', 'is too short (minimum one character)', 'TooShort');
  else if ('name' in input) fields.name = name;
  if ('email' in input && input.email !== null) {
    const email = String(input.email).trim().toLowerCase();
    if (!EMAIL.test(email)) problems.add('email', `${String(input.email)} is not properly formatted`, 'InvalidFormat');
    else if (activeUserWith(ctx, 'email', email, current?.id)) problems.add('email', `${email} is already being used by another user`, 'DuplicateValue');
    else fields.email = email;
  }
  if ('external_id' in input) {
    const value = input.external_id === null ? null : String(input.external_id);
    if (value !== null && activeUserWith(ctx, 'external_id', value, current?.id)) problems.add('external_id', 'has already been taken', 'DuplicateValue');
    else fields.external_id = value;
  }
  oneOf(input, 'role', ROLES, fields, problems, false);
  for (const text of ['phone', 'notes', 'details', 'time_zone']) if (text in input) fields[text] = input[text] === null ? null : String(input[text]);
  if ('tags' in input) {
    if (!Array.isArray(input.tags) || input.tags.some((t) => typeof t !== 'string')) problems.add('tags', 'is invalid');
    else fields.tags = input.tags;
  }
  if (!current) {
    fields.role ??= 'end-user';
    fields.tags ??= [];
  }
  return problems.empty ? { ok: true, fields } : { ok: false, problems };
}

/**
 * Deletes a user as Zendesk does: it stays readable by id with `active: false` and gives up its
 * email and external id (they may be used again). Under a delete-lies fault nothing changes.
 */
export function softDeleteUser(ctx: HandlerContext, id: string): void {
  ctx.records.archive(USERS, id);
  if (ctx.records.latest(USERS, id)?.archived) ctx.records.update(USERS, id, { email: null, external_id: null });
}

export function presentTicket(record: StoredRecord, baseUrl: string, deleted = false): Record<string, unknown> {
  const f = record.fields;
  return {
    url: `${baseUrl}/api/v2/tickets/${record.id}.json`,
    id: Number(record.id),
    external_id: f.external_id ?? null,
    via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
    created_at: zendeskTime(record.createdAt),
    updated_at: zendeskTime(record.updatedAt),
    type: f.type ?? null,
    subject: f.subject ?? null,
    raw_subject: f.subject ?? null,
    description: f.description ?? '',
    priority: f.priority ?? null,
    status: deleted ? 'deleted' : f.status,
    recipient: null,
    requester_id: f.requester_id,
    submitter_id: AGENT.id,
    assignee_id: f.assignee_id ?? null,
    organization_id: null,
    group_id: null,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    has_incidents: false,
    is_public: true,
    due_at: f.due_at ?? null,
    tags: f.tags ?? [],
    custom_fields: f.custom_fields ?? [],
    satisfaction_rating: null,
    sharing_agreement_ids: [],
    ticket_form_id: null,
    brand_id: null,
    allow_channelback: false,
    allow_attachments: true,
    from_messaging_channel: false,
  };
}

export function presentUser(record: StoredRecord, baseUrl: string): Record<string, unknown> {
  const f = record.fields;
  return {
    id: Number(record.id),
    url: `${baseUrl}/api/v2/users/${record.id}.json`,
    name: f.name,
    email: f.email ?? null,
    created_at: zendeskTime(record.createdAt),
    updated_at: zendeskTime(record.updatedAt),
    time_zone: f.time_zone ?? 'UTC',
    phone: f.phone ?? null,
    locale: 'en-US',
    organization_id: null,
    role: f.role,
    verified: true,
    external_id: f.external_id ?? null,
    tags: f.tags ?? [],
    active: !record.archived,
    suspended: false,
    notes: f.notes ?? '',
    details: f.details ?? '',
    user_fields: {},
  };
}

function oneOf(input: Record<string, unknown>, field: string, allowed: string[], fields: Record<string, unknown>, problems: Problems, nullable = true): void {
  if (!(field in input)) return;
  const value = input[field];
  if (value === null && nullable) fields[field] = null;
  else if (typeof value === 'string' && allowed.includes(value)) fields[field] = value;
  else problems.add(field, 'is not valid');
}

function isKnownUser(ctx: HandlerContext, id: unknown): boolean {
  if (Number(id) === AGENT.id) return true;
  const user = ctx.records.latest(USERS, String(id));
  return user !== undefined && !user.archived;
}

function activeUserWith(ctx: HandlerContext, field: string, value: string, except: string | undefined): boolean {
  const wanted = value.toLowerCase();
  return ctx.records.findLatest(USERS, (u) => !u.archived && u.id !== except && typeof u.fields[field] === 'string'
    && (u.fields[field] as string).toLowerCase() === wanted) !== undefined;
}

export function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

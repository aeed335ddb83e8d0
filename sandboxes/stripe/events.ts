import type { HandlerContext, Reply, SandboxRequest, StoredRecord } from '../kit';
import { priceLookup } from './answer';
import { invalidParam } from './errors';
import { paramsOf, type Params } from './form';
import { integerParam, stringParam } from './params';
import { unixSeconds, type Fields } from './resources';
import { ACCOUNT_DEFAULT_VERSION, inVersion, type ApiVersion } from './versions';

/**
 * The Events API (docs.stripe.com/api/events/list): every create, update and delete is recorded
 * as an event; GET /v1/events lists the last 30 days, newest first, filtered by `type` (a trailing
 * `*` is a wildcard) or `types[]`, and `created` (an integer or a hash of gt/gte/lt/lte), paged with
 * `starting_after`/`ending_before` and `has_more`. An event's `data.object` is rendered in the API
 * version it was created with, the account's default (docs.stripe.com/api/events/object#event_object-api_version),
 * whatever version the request that lists it names.
 */
export const EVENTS = 'events';
const RETENTION_SECONDS = 30 * 24 * 3600;

export interface RecordedChange {
  type: string;
  object: Fields;
  previousAttributes?: Fields;
  idempotencyKey?: string;
}

export function recordEvent(ctx: HandlerContext, change: RecordedChange): void {
  ctx.records.insert(EVENTS, {
    fields: {
      api_version: ACCOUNT_DEFAULT_VERSION,
      data: { object: change.object, ...(change.previousAttributes ? { previous_attributes: change.previousAttributes } : {}) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: `req_${ctx.correlationId.replace(/-/g, '').slice(0, 14)}`, idempotency_key: change.idempotencyKey ?? null },
      type: change.type,
    },
  });
}

/** The attributes an update changed, with their values before it (Stripe's previous_attributes). */
export function previousAttributes(before: Fields, after: Fields): Fields {
  const changed: Fields = {};
  for (const [name, value] of Object.entries(after)) {
    if (JSON.stringify(before[name]) !== JSON.stringify(value)) changed[name] = before[name] ?? null;
  }
  return changed;
}

/** An event as listed: with a context, its object in the event's own API version; without (admin state), as stored. */
export function presentEvent(record: StoredRecord, ctx?: Pick<HandlerContext, 'records'>): Fields {
  const event: Fields = { id: record.id, object: 'event', created: unixSeconds(record.createdAt), ...record.fields };
  const data = event.data as { object: Fields; previous_attributes?: Fields };
  if (!ctx) return event;
  return { ...event, data: { ...data, object: inVersion(event.api_version as ApiVersion, data.object, priceLookup(ctx)) } };
}

function typeFilter(params: Params): (type: string) => boolean {
  const single = stringParam(params, 'type');
  const many = Array.isArray(params.types) ? params.types.map(String) : [];
  const patterns = [...(single ? [single] : []), ...many];
  if (patterns.length === 0) return () => true;
  const matchers = patterns.map((p) => (p.endsWith('*') ? (t: string) => t.startsWith(p.slice(0, -1)) : (t: string) => t === p));
  return (type) => matchers.some((m) => m(type));
}

function createdFilter(params: Params): (created: number) => boolean {
  const given = params.created;
  if (given === undefined) return () => true;
  if (typeof given === 'string') {
    const at = integerParam(params, 'created');
    return (c) => c === at;
  }
  if (typeof given !== 'object' || given === null) invalidParam('created', 'Invalid created');
  const range = given as Params;
  const bound = (name: string) => integerParam(range, name) ?? undefined;
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  return (c) => (gt === undefined || c > gt) && (gte === undefined || c >= gte) && (lt === undefined || c < lt) && (lte === undefined || c <= lte);
}

/** A list page, newest first, the way every Stripe list endpoint pages. */
export function listPage(items: Fields[], params: Params, url: string): Fields {
  const limit = integerParam(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100) invalidParam('limit', 'This value must be less than or equal to 100 (it currently is ' + String(limit) + ').', 'parameter_invalid_integer');
  const after = stringParam(params, 'starting_after');
  const before = stringParam(params, 'ending_before');
  let start = 0;
  let end = items.length;
  if (after) {
    const at = items.findIndex((i) => i.id === after);
    if (at < 0) invalidParam('starting_after', `No such object: '${after}'`, 'resource_missing');
    start = at + 1;
  }
  if (before) {
    const at = items.findIndex((i) => i.id === before);
    if (at < 0) invalidParam('ending_before', `No such object: '${before}'`, 'resource_missing');
    end = at;
    start = Math.max(0, end - limit);
  }
  const data = items.slice(start, Math.min(end, start + limit));
  const hasMore = before ? start > 0 : start + limit < end;
  return { object: 'list', data, has_more: hasMore, url };
}

export function listEvents(req: SandboxRequest, ctx: HandlerContext): Reply {
  const params = paramsOf(undefined, req.query);
  const wantedType = typeFilter(params);
  const wantedCreated = createdFilter(params);
  const oldest = unixSeconds(ctx.clock.nowIso()) - RETENTION_SECONDS;
  const events = ctx.records.list(EVENTS)
    .map((e) => presentEvent(e, ctx))
    .filter((e) => (e.created as number) >= oldest && wantedType(String(e.type)) && wantedCreated(e.created as number))
    .reverse();
  return { status: 200, body: listPage(events, params, '/v1/events') };
}

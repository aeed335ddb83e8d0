import type { HandlerContext, Reply, Route, SandboxRequest, StoredRecord } from '../kit';
import { ReplyError } from '../kit';
import { noSuch, stripeError } from './errors';
import { listEvents, listPage, presentEvent, previousAttributes, recordEvent } from './events';
import { paramsOf } from './form';
import { idempotencyKeyOf, idempotent } from './idempotency';
import { invoices, present, resources, type Fields, type ResourceSpec } from './resources';
import { searchRoute } from './search';

/** The REST routes of each resource: create, retrieve, update, delete, list, search; plus /v1/events. */

function live(spec: ResourceSpec, ctx: HandlerContext, id: string, read = false): StoredRecord {
  const record = read ? ctx.records.read(spec.collection, id) : ctx.records.latest(spec.collection, id);
  if (!record || record.archived) noSuch(spec.object, id);
  return record;
}

function created(spec: ResourceSpec) {
  return idempotent((req, ctx) => {
    const fields = spec.create(paramsOf(req.body, req.query), ctx);
    const record = ctx.records.insert(spec.collection, { fields });
    const object = present(spec, record);
    recordEvent(ctx, { type: `${spec.object}.created`, object, idempotencyKey: idempotencyKeyOf(req) });
    return { status: 200, body: object };
  });
}

function updated(spec: ResourceSpec) {
  return idempotent((req, ctx) => {
    const current = live(spec, ctx, req.params.id ?? '');
    const patch = spec.update(current.fields, paramsOf(req.body, req.query), ctx);
    const record = ctx.records.update(spec.collection, current.id, patch) ?? current;
    const object = present(spec, record);
    const previous = previousAttributes(present(spec, current), object);
    if (Object.keys(previous).length > 0) {
      recordEvent(ctx, { type: `${spec.object}.updated`, object, previousAttributes: previous, idempotencyKey: idempotencyKeyOf(req) });
    }
    return { status: 200, body: object };
  });
}

function retrieved(spec: ResourceSpec) {
  return (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const id = req.params.id ?? '';
    const record = ctx.records.read(spec.collection, id);
    if (!record) noSuch(spec.object, id);
    // A deleted customer still answers, as a stub: { id, object, deleted: true }.
    if (record.archived && spec.deletion !== 'stub') noSuch(spec.object, id);
    return { status: 200, body: present(spec, record) };
  };
}

function deleted(spec: ResourceSpec) {
  return (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const current = live(spec, ctx, req.params.id ?? '');
    spec.checkDelete?.(current, ctx);
    const gone = spec.deletion === 'stub' ? ctx.records.archive(spec.collection, current.id) : ctx.records.remove(spec.collection, current.id);
    if (gone && ctx.records.latest(spec.collection, current.id)?.archived !== false) {
      recordEvent(ctx, { type: `${spec.object}.deleted`, object: present(spec, { ...current, archived: false }) });
    }
    return { status: 200, body: { id: current.id, object: spec.object, deleted: true } };
  };
}

/** Plain list filters: the documented equality filters of each list endpoint. */
const LIST_FILTERS: Record<string, string[]> = {
  customers: ['email'],
  products: ['active'],
  prices: ['active', 'currency', 'product', 'type', 'lookup_keys'],
  invoices: ['customer', 'status'],
};

function listed(spec: ResourceSpec) {
  return (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const params = paramsOf(undefined, req.query);
    const filters = (LIST_FILTERS[spec.collection] ?? []).flatMap((name) => {
      const value = params[name];
      if (value === undefined) return [];
      const wanted = Array.isArray(value) ? value.map(String) : [String(value)];
      const field = name === 'lookup_keys' ? 'lookup_key' : name;
      return [(o: Fields) => wanted.includes(String(o[field]))];
    });
    const items = ctx.records.list(spec.collection).filter((r) => !r.archived).map((r) => present(spec, r))
      .filter((o) => filters.every((f) => f(o))).reverse();
    return { status: 200, body: listPage(items, params, `/v1/${spec.collection}`) };
  };
}

const finalizeInvoice = idempotent((req, ctx) => {
  const current = live(invoices, ctx, req.params.id ?? '');
  if (current.fields.status !== 'draft') throw new ReplyError(stripeError(400, { code: 'invoice_not_editable', message: 'This invoice is already finalized.' }));
  const record = ctx.records.update('invoices', current.id, { status: 'open', number: `SBX-${current.id.slice(-4)}` }) ?? current;
  const object = present(invoices, record);
  recordEvent(ctx, { type: 'invoice.finalized', object, previousAttributes: { status: 'draft' } });
  return { status: 200, body: object };
});

export function stripeRoutes(): Route[] {
  const routes: Route[] = resources.flatMap((spec): Route[] => [
    { method: 'POST', path: `/v1/${spec.collection}`, handle: created(spec) },
    { method: 'GET', path: `/v1/${spec.collection}`, handle: listed(spec) },
    searchRoute(spec),
    { method: 'GET', path: `/v1/${spec.collection}/:id`, handle: retrieved(spec) },
    { method: 'POST', path: `/v1/${spec.collection}/:id`, handle: updated(spec) },
    ...(spec.deletion === 'none' ? [] : [{ method: 'DELETE' as const, path: `/v1/${spec.collection}/:id`, handle: deleted(spec) }]),
  ]);
  return [
    ...routes,
    { method: 'POST', path: '/v1/invoices/:id/finalize', handle: finalizeInvoice },
    { method: 'GET', path: '/v1/events', handle: listEvents },
    { method: 'GET', path: '/v1/events/:id', handle: (req, ctx) => {
      const record = ctx.records.read('events', req.params.id ?? '');
      if (!record) noSuch('event', req.params.id ?? '');
      return { status: 200, body: presentEvent(record) };
    } },
  ];
}

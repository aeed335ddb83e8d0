import type { HandlerContext, Reply, Route, SandboxRequest, StoredRecord } from '../kit';
import { ReplyError } from '../kit';
import { answer, resources } from './answer';
import { noSuch, stripeError } from './errors';
import { listEvents, listPage, presentEvent, previousAttributes, recordEvent } from './events';
import { paramsOf } from './form';
import { idempotencyKeyOf, idempotent } from './idempotency';
import { invoices, itemsOf, lineOf } from './invoices';
import type { Fields, ResourceSpec } from './resources';
import { searchRoute } from './search';
import { SearchIndex } from './search-index';
import { apiVersionOf, CURRENT_VERSION, inVersion } from './versions';
import { priceLookup } from './answer';

/** The REST routes of each resource: create, retrieve, update, delete, list, search; plus /v1/events and an invoice's lines. */
export interface StripeRouteOptions {
  /** How long a write takes to reach the search index (search-index.ts). */
  searchLagMs: number;
}

function live(spec: ResourceSpec, ctx: HandlerContext, id: string, read = false): StoredRecord {
  const record = read ? ctx.records.read(spec.collection, id) : ctx.records.latest(spec.collection, id);
  if (!record || record.archived) noSuch(spec.object, id);
  return record;
}

/** The object as events carry it and previous_attributes compare it: stored shapes, derived fields included. */
const canonical = (spec: ResourceSpec, record: StoredRecord, ctx: HandlerContext): Fields => answer(spec, record, ctx, CURRENT_VERSION);

function routesOf(spec: ResourceSpec, searchIndex: SearchIndex): Route[] {
  const index = (ctx: HandlerContext, id: string, before: StoredRecord | null, after: StoredRecord | null) =>
    searchIndex.write(ctx, spec.collection, id, before && !before.archived ? before.fields : null, after && !after.archived ? after.fields : null);

  const create = idempotent((req, ctx) => {
    const version = apiVersionOf(req);
    const fields = spec.create(paramsOf(req.body, req.query), ctx, version);
    const record = ctx.records.insert(spec.collection, { fields });
    index(ctx, record.id, null, record);
    recordEvent(ctx, { type: `${spec.object}.created`, object: canonical(spec, record, ctx), idempotencyKey: idempotencyKeyOf(req) });
    return { status: 200, body: answer(spec, record, ctx, version) };
  });

  const update = idempotent((req, ctx) => {
    const version = apiVersionOf(req);
    const current = live(spec, ctx, req.params.id ?? '');
    const patch = spec.update(current.fields, paramsOf(req.body, req.query), ctx, version);
    const record = ctx.records.update(spec.collection, current.id, patch) ?? current;
    index(ctx, record.id, current, record);
    const object = canonical(spec, record, ctx);
    const previous = previousAttributes(canonical(spec, current, ctx), object);
    if (Object.keys(previous).length > 0) {
      recordEvent(ctx, { type: `${spec.object}.updated`, object, previousAttributes: previous, idempotencyKey: idempotencyKeyOf(req) });
    }
    return { status: 200, body: answer(spec, record, ctx, version) };
  });

  const retrieve = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const version = apiVersionOf(req);
    const id = req.params.id ?? '';
    const record = ctx.records.read(spec.collection, id);
    if (!record) noSuch(spec.object, id);
    // A deleted customer still answers, as a stub: { id, object, deleted: true }.
    if (record.archived && spec.deletion !== 'stub') noSuch(spec.object, id);
    return { status: 200, body: answer(spec, record, ctx, version) };
  };

  const remove = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    apiVersionOf(req);
    const current = live(spec, ctx, req.params.id ?? '');
    spec.checkDelete?.(current, ctx);
    const object = canonical(spec, current, ctx);
    const gone = spec.deletion === 'stub' ? ctx.records.archive(spec.collection, current.id) : ctx.records.remove(spec.collection, current.id);
    const stillThere = ctx.records.latest(spec.collection, current.id);
    if (gone && stillThere?.archived !== false) {
      index(ctx, current.id, current, null);
      spec.afterDelete?.(current, ctx);
      recordEvent(ctx, { type: `${spec.object}.deleted`, object });
    }
    return { status: 200, body: { id: current.id, object: spec.object, deleted: true } };
  };

  const list = (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const version = apiVersionOf(req);
    const params = paramsOf(undefined, req.query);
    const filters = (LIST_FILTERS[spec.collection] ?? []).flatMap((name) => {
      const value = params[name];
      if (value === undefined) return [];
      const wanted = Array.isArray(value) ? value.map(String) : [String(value)];
      const field = name === 'lookup_keys' ? 'lookup_key' : name;
      return [(o: Fields) => wanted.includes(String(o[field]))];
    });
    const items = ctx.records.list(spec.collection).filter((r) => !r.archived).map((r) => answer(spec, r, ctx, version))
      .filter((o) => filters.every((f) => f(o))).reverse();
    return { status: 200, body: listPage(items, params, `/v1/${spec.collection}`) };
  };

  return [
    { method: 'POST', path: `/v1/${spec.collection}`, handle: create },
    { method: 'GET', path: `/v1/${spec.collection}`, handle: list },
    ...(spec.searchFields.length > 0 ? [searchRoute(spec, searchIndex)] : []),
    { method: 'GET', path: `/v1/${spec.collection}/:id`, handle: retrieve },
    { method: 'POST', path: `/v1/${spec.collection}/:id`, handle: update },
    ...(spec.deletion === 'none' ? [] : [{ method: 'DELETE' as const, path: `/v1/${spec.collection}/:id`, handle: remove }]),
  ];
}

/** Plain list filters: the documented equality filters of each list endpoint. */
const LIST_FILTERS: Record<string, string[]> = {
  customers: ['email'],
  products: ['active'],
  prices: ['active', 'currency', 'product', 'type', 'lookup_keys'],
  invoices: ['customer', 'status'],
  invoiceitems: ['customer', 'invoice'],
};

const finalizeInvoice = idempotent((req, ctx) => {
  const version = apiVersionOf(req);
  const current = live(invoices, ctx, req.params.id ?? '');
  if (current.fields.status !== 'draft') throw new ReplyError(stripeError(400, { code: 'invoice_not_editable', message: 'This invoice is already finalized.' }));
  const finalizedAt = Math.floor(ctx.clock.nowMs() / 1000);
  const record = ctx.records.update('invoices', current.id, {
    status: 'open', number: `SBX-${current.id.slice(-4)}`, status_transitions: { ...(current.fields.status_transitions as Fields), finalized_at: finalizedAt },
  }) ?? current;
  recordEvent(ctx, { type: 'invoice.finalized', object: canonical(invoices, record, ctx), previousAttributes: { status: 'draft' } });
  return { status: 200, body: answer(invoices, record, ctx, version) };
});

/** GET /v1/invoices/:id/lines: the invoice's line items in the order they were added, paged like every list. */
function invoiceLines(req: SandboxRequest, ctx: HandlerContext): Reply {
  const version = apiVersionOf(req);
  const invoice = live(invoices, ctx, req.params.id ?? '', true);
  const lines = itemsOf(ctx, invoice.id).map((item) => inVersion(version, lineOf(item), priceLookup(ctx)));
  return { status: 200, body: listPage(lines, paramsOf(undefined, req.query), `/v1/invoices/${invoice.id}/lines`) };
}

export function stripeRoutes(options: StripeRouteOptions): Route[] {
  const searchIndex = new SearchIndex(options.searchLagMs);
  return [
    ...resources.flatMap((spec) => routesOf(spec, searchIndex)),
    { method: 'POST', path: '/v1/invoices/:id/finalize', handle: finalizeInvoice },
    { method: 'GET', path: '/v1/invoices/:id/lines', handle: invoiceLines },
    { method: 'GET', path: '/v1/events', handle: (req, ctx) => { apiVersionOf(req); return listEvents(req, ctx); } },
    { method: 'GET', path: '/v1/events/:id', handle: (req, ctx) => {
      apiVersionOf(req);
      const record = ctx.records.read('events', req.params.id ?? '');
      if (!record) noSuch('event', req.params.id ?? '');
      return { status: 200, body: presentEvent(record, ctx) };
    } },
  ];
}

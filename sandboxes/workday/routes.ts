import type { HandlerContext, Reply, Route, SandboxRequest, StoredRecord } from '../kit';
import { faultReply, invalid, notFound, WorkdayFault } from './errors';
import { preparePayrollInput, presentPayrollInput, type Fields } from './payroll-inputs';
import { presentWorker } from './workers';

/**
 * The REST resources under /ccx/api/<service>/<version>/<tenant>:
 * - payroll/v2 payrollInputs: GET (collection), POST, GET/PATCH/DELETE {ID};
 * - common/v1 workers: GET (collection), GET {ID}.
 * {ID} is a Workday ID or a reference ID `<type>=<value>` (Payroll_Input_ID for payroll inputs,
 * Employee_ID or Contingent_Worker_ID for workers). Collections page with limit (default 20, at most
 * 100: a larger limit is cut to 100) and offset, answer { total, data }, and filter on the time a
 * resource was last changed with updatedFrom/updatedTo (ISO 8601, both inclusive).
 */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

interface ResourceRoutes {
  object: string;
  base: string;
  refIdTypes: Record<string, string>;
  present(record: StoredRecord, ctx: HandlerContext): Fields;
}

export function workdayRoutes(tenant: string, nextPayrollInputId: () => string): Route[] {
  const href = (ctx: HandlerContext, service: string) => (path: string) => `${ctx.baseUrl}/ccx/api/${service}/${tenant}${path}`;
  const payroll: ResourceRoutes = {
    object: 'payrollInputs',
    base: `/ccx/api/payroll/v2/${tenant}/payrollInputs`,
    refIdTypes: { Payroll_Input_ID: 'payrollInputID' },
    present: (record, ctx) => presentPayrollInput(record, ctx.records, href(ctx, 'payroll/v2')),
  };
  const workers: ResourceRoutes = {
    object: 'workers',
    base: `/ccx/api/common/v1/${tenant}/workers`,
    refIdTypes: { Employee_ID: 'workerId', Contingent_Worker_ID: 'workerId' },
    present: (record, ctx) => presentWorker(record, href(ctx, 'common/v1')),
  };
  const tenantOf = (ctx: HandlerContext) => ({ records: ctx.records, nextPayrollInputId });
  return [
    { method: 'GET', path: payroll.base, handle: guarded((req, ctx) => collection(payroll, req, ctx)) },
    { method: 'POST', path: payroll.base, handle: guarded((req, ctx) => {
      const stored = ctx.records.insert(payroll.object, { fields: preparePayrollInput(req.body, tenantOf(ctx)) });
      return { status: 201, body: payroll.present(stored, ctx) };
    }) },
    { method: 'GET', path: `${payroll.base}/:id`, handle: guarded((req, ctx) => ({ status: 200, body: payroll.present(found(payroll, req, ctx), ctx) })) },
    { method: 'PATCH', path: `${payroll.base}/:id`, handle: guarded((req, ctx) => {
      const current = found(payroll, req, ctx, 'latest');
      const updated = ctx.records.update(payroll.object, current.id, preparePayrollInput(req.body, tenantOf(ctx), current))!;
      return { status: 200, body: payroll.present(updated, ctx) };
    }) },
    { method: 'DELETE', path: `${payroll.base}/:id`, handle: guarded((req, ctx) => {
      ctx.records.remove(payroll.object, found(payroll, req, ctx, 'latest').id);
      return { status: 200 };
    }) },
    { method: 'GET', path: workers.base, handle: guarded((req, ctx) => collection(workers, req, ctx)) },
    { method: 'GET', path: `${workers.base}/:id`, handle: guarded((req, ctx) => ({ status: 200, body: workers.present(found(workers, req, ctx), ctx) })) },
  ];
}

function guarded(handle: (req: SandboxRequest, ctx: HandlerContext) => Reply) {
  return (req: SandboxRequest, ctx: HandlerContext): Reply => {
    try {
      return handle(req, ctx);
    } catch (error) {
      if (error instanceof WorkdayFault) return faultReply(error);
      throw error;
    }
  };
}

/** The resource an {ID} names: a Workday ID, or `<type>=<value>` for a reference ID. */
function found(spec: ResourceRoutes, req: SandboxRequest, ctx: HandlerContext, consistency: 'read' | 'latest' = 'read'): StoredRecord {
  const id = req.params.id;
  const separator = id.indexOf('=');
  let record: StoredRecord | undefined;
  if (separator < 0) {
    record = consistency === 'read' ? ctx.records.read(spec.object, id) : ctx.records.latest(spec.object, id);
  } else {
    const type = id.slice(0, separator);
    const field = spec.refIdTypes[type];
    if (!field) throw invalid([{ field: 'ID', error: `${type} is not a reference ID type of ${spec.object}: use ${Object.keys(spec.refIdTypes).join(' or ')}.` }]);
    const value = id.slice(separator + 1);
    const matches = (r: Readonly<StoredRecord>) => !r.archived && r.fields[field] === value;
    record = consistency === 'read' ? ctx.records.find(spec.object, matches) : ctx.records.findLatest(spec.object, matches);
  }
  if (!record || record.archived) throw notFound(`The ${spec.object} resource ${id}`);
  return record;
}

function collection(spec: ResourceRoutes, req: SandboxRequest, ctx: HandlerContext): Reply {
  const limit = Math.min(integer(req.query.get('limit'), DEFAULT_LIMIT, 'limit', 1), MAX_LIMIT);
  const offset = integer(req.query.get('offset'), 0, 'offset', 0);
  const from = instant(req.query.get('updatedFrom'), 'updatedFrom');
  const to = instant(req.query.get('updatedTo'), 'updatedTo');
  const matching: StoredRecord[] = [];
  ctx.records.eachVisible(spec.object, (record) => {
    if (record.archived) return;
    const updated = Date.parse(record.updatedAt);
    if ((from === undefined || updated >= from) && (to === undefined || updated <= to)) matching.push(record);
  });
  matching.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1));
  return { status: 200, body: { total: matching.length, data: matching.slice(offset, offset + limit).map((r) => spec.present(r, ctx)) } };
}

function integer(value: string | null, fallback: number, field: string, min: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw invalid([{ field, error: `${field} must be an integer of at least ${min}.` }]);
  return n;
}

function instant(value: string | null, field: string): number | undefined {
  if (value === null) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw invalid([{ field, error: `${value} is not a valid date and time (ISO 8601, e.g. 2026-01-31T00:00:00.000Z).` }]);
  return ms;
}

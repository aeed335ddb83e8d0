import type { HandlerContext, Reply, Route, SandboxRequest } from '../kit';
import { logActivity, logChanges } from './activities';
import { fail, ok, skipped } from './errors';
import { defaultCompanyFields, defaultLeadFields, leadLookupFields } from './fields';
import {
  BATCH_LIMIT, checkFields, companyKind, DELETE_LEAD, findBy, leadKind, listParam, NEW_LEAD, present, syncOne, type Action, type Kind,
} from './records';

/**
 * Leads and companies (experienceleague.adobe.com "Leads" and "Companies"; Lead Database endpoints):
 *   POST /rest/v1/leads.json          { action, lookupField (default email), input: [...] }, at most 300
 *   GET  /rest/v1/leads.json          filterType, filterValues (at most 300), fields, batchSize, nextPageToken
 *   POST /rest/v1/leads/delete.json   { input: [{ id }] }, at most 300
 *   POST /rest/v1/companies.json      { action, dedupeBy: dedupeFields (externalCompanyId) | idField, input }
 *   GET  /rest/v1/companies.json      filterType (externalCompanyId, id, company), filterValues, fields
 *   POST /rest/v1/companies/delete.json { deleteBy: dedupeFields | idField, input }
 * Results come back in input order, one per input record.
 */
const ACTIONS: Action[] = ['createOnly', 'updateOnly', 'createOrUpdate'];

function body(req: SandboxRequest): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) fail('609', 'Invalid JSON');
  return req.body as Record<string, unknown>;
}

function inputOf(req: SandboxRequest): Array<Record<string, unknown>> {
  const input = body(req).input;
  if (!Array.isArray(input) || input.length === 0) fail('1003', "Value for requied field 'input' not specified");
  if (input.length > BATCH_LIMIT) fail('1003', `Exceeded maximum ${BATCH_LIMIT} records in input`);
  return input as Array<Record<string, unknown>>;
}

function actionOf(req: SandboxRequest): Action {
  const action = (body(req).action ?? 'createOrUpdate') as Action;
  if (!ACTIONS.includes(action)) fail('1003', `Invalid action '${String(action)}'`);
  return action;
}

function read(kind: Kind, filterTypes: string[], defaults: string[]) {
  return (req: SandboxRequest, ctx: HandlerContext): Reply => {
    const filterType = req.query.get('filterType') ?? '';
    if (!filterTypes.includes(filterType)) fail('1003', `Invalid filterType '${filterType}'`);
    const values = listParam(req.query.get('filterValues'));
    if (values.length === 0) fail('1003', "Value for requied field 'filterValues' not specified");
    if (values.length > BATCH_LIMIT) fail('1003', `Exceeded maximum ${BATCH_LIMIT} values in filterValues`);
    const fields = checkFields(kind, listParam(req.query.get('fields')));
    const found = findBy(ctx, kind, filterType, values, 'read').sort((a, b) => Number(a.id) - Number(b.id));
    return ok(found.map((r, seq) => ({ ...(kind === companyKind ? { seq } : {}), ...present(kind, r, fields.length > 0 ? fields : defaults) })));
  };
}

function syncLeads(req: SandboxRequest, ctx: HandlerContext): Reply {
  const action = actionOf(req);
  const lookupField = String(body(req).lookupField ?? 'email');
  if (!leadLookupFields.includes(lookupField)) fail('1003', `Invalid lookupField '${lookupField}'`);
  return ok(inputOf(req).map((input) => {
    const outcome = syncOne(ctx, leadKind, action, lookupField, input);
    if (outcome.record && !outcome.previous) logActivity(ctx, outcome.record.id, NEW_LEAD);
    if (outcome.record && outcome.previous) logChanges(ctx, outcome.previous, outcome.record);
    return outcome.result;
  }));
}

function deleteLeads(req: SandboxRequest, ctx: HandlerContext): Reply {
  const fromQuery = listParam(req.query.get('id'));
  const input = fromQuery.length > 0 ? fromQuery.map((id) => ({ id })) : inputOf(req);
  return ok(input.map((item) => {
    const id = String(item.id ?? '');
    const lead = ctx.records.latest(leadKind.object, id);
    if (!lead) return skipped({ code: '1004', message: 'Lead not found' }, { id: Number(id) });
    ctx.records.remove(leadKind.object, id);
    // Under the delete-lies fault the lead stays, and no Delete Lead activity is logged.
    if (!ctx.records.latest(leadKind.object, id)) logActivity(ctx, id, DELETE_LEAD, { primaryAttributeValue: [lead.fields.firstName, lead.fields.lastName].filter(Boolean).join(' ') });
    return { id: Number(id), status: 'deleted' };
  }));
}

function companyDedupe(req: SandboxRequest, key: 'dedupeBy' | 'deleteBy'): string {
  const by = String(body(req)[key] ?? 'dedupeFields');
  if (by !== 'dedupeFields' && by !== 'idField') fail('1003', `Invalid ${key} '${by}'`);
  return by === 'idField' ? 'id' : 'externalCompanyId';
}

function syncCompanies(req: SandboxRequest, ctx: HandlerContext): Reply {
  const action = actionOf(req);
  const field = companyDedupe(req, 'dedupeBy');
  return ok(inputOf(req).map((input, seq) => ({ seq, ...syncOne(ctx, companyKind, action, field, input).result })));
}

function deleteCompanies(req: SandboxRequest, ctx: HandlerContext): Reply {
  const field = companyDedupe(req, 'deleteBy');
  return ok(inputOf(req).map((input, seq) => ({ seq, ...deleteCompany(ctx, field, input) })));
}

/** Companies answer `seq`, each result's index in the input (CompanyResponse). */
function deleteCompany(ctx: HandlerContext, field: string, input: Record<string, unknown>): Record<string, unknown> {
  const [company] = findBy(ctx, companyKind, field, [String(input[field] ?? '')], 'latest');
  if (!company) return skipped({ code: '1013', message: 'Record not found' });
  ctx.records.remove(companyKind.object, company.id);
  return { id: Number(company.id), status: 'deleted' };
}

export function resourceRoutes(): Route[] {
  return [
    { method: 'POST', path: '/rest/v1/leads.json', handle: syncLeads },
    { method: 'GET', path: '/rest/v1/leads.json', handle: read(leadKind, leadLookupFields, defaultLeadFields) },
    { method: 'POST', path: '/rest/v1/leads/delete.json', handle: deleteLeads },
    { method: 'POST', path: '/rest/v1/companies.json', handle: syncCompanies },
    { method: 'GET', path: '/rest/v1/companies.json', handle: read(companyKind, ['externalCompanyId', 'id', 'company'], defaultCompanyFields) },
    { method: 'POST', path: '/rest/v1/companies/delete.json', handle: deleteCompanies },
  ];
}

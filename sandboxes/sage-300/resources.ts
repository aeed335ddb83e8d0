import type { HandlerContext, Reply, SandboxRequest, StoredRecord } from '../kit';
import { FilterError, parseFilter, type Entity } from '../kit/odata-filter';

/**
 * AR/ARCustomers and IC/ICItems of one company as the Sage 300 Web API serves them (OData v4,
 * JSON): GET a collection ($filter, $select, $top, $skip, @odata.nextLink past the server page),
 * GET/PATCH/DELETE an entity by key ('…'), POST a new one. Errors are OData error bodies whose
 * `details[].target` names the property.
 */
export interface Resource {
  module: 'AR' | 'IC';
  name: 'ARCustomers' | 'ICItems';
  key: string;
  maxKeyLength: number;
  required: string[];
  /** Property -> kind, for checks: the Web API's model. */
  properties: Record<string, 'string' | 'number' | 'yesno' | 'status'>;
}

export const STAMP = 'DateLastMaintained';

export const resources: Resource[] = [
  {
    module: 'AR', name: 'ARCustomers', key: 'CustomerNumber', maxKeyLength: 12, required: ['CustomerNumber', 'CustomerName'],
    properties: {
      CustomerNumber: 'string', CustomerName: 'string', ShortName: 'string', GroupCode: 'string', Status: 'status', OnHold: 'yesno',
      Email: 'string', PhoneNumber: 'string', Terms: 'string', CreditLimitCustomerCurrency: 'number', AddressLine1: 'string', City: 'string',
    },
  },
  {
    module: 'IC', name: 'ICItems', key: 'UnformattedItemNumber', maxKeyLength: 24, required: ['UnformattedItemNumber', 'Description'],
    properties: {
      UnformattedItemNumber: 'string', ItemNumber: 'string', Description: 'string', Category: 'string', StockingUnitOfMeasure: 'string', Status: 'status',
      AllowOnWeb: 'yesno',
    },
  },
];

export function findResource(module: string, name: string): Resource | undefined {
  return resources.find((r) => r.module === module && r.name === name);
}

/** The Web API's error body (Developer Reference, "Errors"): a CamelCase code and a message { lang, value }. */
export function odataError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message: { lang: 'en-US', value: message } } } };
}

/** "ARCustomers('C-1')" -> { name, key }; "ARCustomers" -> { name }. Quotes doubled inside the key. */
export function parseSegment(segment: string): { name: string; key?: string } | undefined {
  const open = segment.indexOf('(');
  if (open < 0) return { name: segment };
  const inner = segment.slice(open + 1, segment.endsWith(')') ? -1 : undefined);
  if (!inner.startsWith("'") || !inner.endsWith("'") || inner.length < 2) return undefined;
  return { name: segment.slice(0, open), key: inner.slice(1, -1).replace(/''/g, "'") };
}

/** A stored record as the Web API shows it: every property (null when unset) and its stamp. */
export function entityOf(resource: Resource, record: Readonly<StoredRecord>): Entity {
  return { ...Object.fromEntries(Object.keys(resource.properties).map((p) => [p, record.fields[p] ?? null])), [STAMP]: dayOf(record.updatedAt) };
}

/** Midnight of an ISO time, as the Web API writes dates ("2010-08-18T00:00:00"): Sage 300 keeps the date of the last maintenance, not the time. */
export function dayOf(iso: string): string {
  return `${iso.slice(0, 10)}T00:00:00`;
}

/** Why the Web API refuses what a POST or PATCH sends: its error code and message (which names the property), or undefined. */
export function refusal(resource: Resource, values: Entity, creating: boolean): { code: string; message: string } | undefined {
  for (const [name, value] of Object.entries(values)) {
    const kind = resource.properties[name];
    if (name === STAMP) return { code: 'InvalidPayload', message: `The property '${name}' is read-only and cannot be set.` };
    if (!kind) return { code: 'InvalidPayload', message: `The property '${name}' does not exist on type 'Sage.CA.SBS.ERP.Sage300.${resource.module}.WebApi.Models.${resource.name.slice(2, -1)}'.` };
    if (value === null || value === '') continue;
    if (kind === 'number' && typeof value !== 'number') return { code: 'InvalidPayload', message: `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Decimal' for property '${name}'.` };
    if (kind === 'yesno' && value !== 'Yes' && value !== 'No') return { code: 'InvalidPayload', message: `The value '${String(value)}' is not valid for property '${name}': use Yes or No.` };
    if (kind === 'status' && value !== 'Active' && value !== 'Inactive') return { code: 'InvalidPayload', message: `The value '${String(value)}' is not valid for property '${name}': use Active or Inactive.` };
  }
  const blank = (name: string) => values[name] === undefined || values[name] === null || values[name] === '';
  const missing = resource.required.find((name) => (creating ? blank(name) : name in values && blank(name)));
  if (missing) return { code: 'RecordInvalid', message: `${labelOf(missing)} cannot be blank.` };
  const key = values[resource.key];
  if (typeof key === 'string' && key.length > resource.maxKeyLength) return { code: 'RecordInvalid', message: `${labelOf(resource.key)} is longer than ${resource.maxKeyLength} characters.` };
  return undefined;
}

/** How Sage 300's business-layer messages name a field: its words ("Customer Name"). */
export function labelOf(property: string): string {
  return property.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
}

export interface CollectionOptions {
  pageSize: number;
}

/**
 * GET on a collection: $filter, $select, $skip, $top (at most the server's page size: the Web API
 * answers 100 entities a request unless its Web.config says otherwise) and $count; no next link,
 * as the Developer Reference shows: callers page with $skip.
 */
export function listCollection(resource: Resource, req: SandboxRequest, ctx: HandlerContext, options: CollectionOptions): Reply {
  let predicate;
  try {
    predicate = parseFilter(req.query.get('$filter'));
  } catch (error) {
    if (error instanceof FilterError) return odataError(400, 'InvalidParameters', `The query specified in the URI is not valid. ${error.message}`);
    throw error;
  }
  const all = ctx.records.list(resource.name).map((r) => entityOf(resource, r)).filter(predicate)
    .sort((a, b) => (String(a[resource.key]) < String(b[resource.key]) ? -1 : 1));
  const skip = Math.max(0, Number(req.query.get('$skip') ?? 0) || 0);
  const asked = req.query.get('$top') === null ? options.pageSize : Math.max(0, Number(req.query.get('$top')) || 0);
  const page = all.slice(skip, skip + Math.min(asked, options.pageSize));
  const select = req.query.get('$select')?.split(',').map((s) => s.trim()).filter(Boolean);
  const shown = select?.length ? page.map((e) => Object.fromEntries(select.filter((s) => s in e).map((s) => [s, e[s]]))) : page;
  const base = `${ctx.baseUrl}${req.path}`;
  return {
    status: 200,
    body: {
      'odata.context': `${base.slice(0, base.lastIndexOf('/'))}/$metadata#${resource.name}`,
      ...(req.query.get('$count') === 'true' ? { 'odata.count': String(all.length) } : {}),
      value: shown,
    },
  };
}

import type { RecordView, StoredRecord } from '../kit';
import { easternDate, easternTime } from './eastern-time';
import { ERRNO, invalid } from './errors';

/**
 * The accounting resources the sandbox keeps (freshbooks.com/api/clients, /api/invoices, /api/items):
 * paths under /accounting/account/{accountid}/, bodies wrapped in the resource's name
 * ({ client: {...} }), ids assigned by FreshBooks. `vis_state` 0 is active, 1 deleted, 2 archived
 * (freshbooks.com/api/active_deleted); the store's `archived` flag is "deleted" (vis_state 1).
 */
export type Fields = Record<string, unknown>;

export interface ResourceContext {
  view: RecordView;
  nowMs: number;
  accountId: string;
  selfId?: string;
}

export interface ResourceSpec {
  /** Store object and list wrapper: 'clients'. */
  collection: string;
  /** Single wrapper: 'client'. */
  single: string;
  /** Path below /accounting/account/{accountid}/. */
  path: string;
  /** The field FreshBooks names in a 404 for this resource. */
  idField: string;
  writable: ReadonlySet<string>;
  /** Checks and completes the values of a create or an update (with the current values merged in). */
  prepare(values: Fields, ctx: ResourceContext): Fields;
  present(record: StoredRecord, accountId: string): Fields;
  /** search[<name>]=value filters besides the common ones. */
  searches: Record<string, (resource: Fields, value: string) => boolean>;
}

export function visState(record: Pick<StoredRecord, 'archived' | 'fields'>): number {
  return record.archived ? 1 : record.fields.vis_state === 2 ? 2 : 0;
}

const client: ResourceSpec = {
  collection: 'clients',
  single: 'client',
  path: 'users/clients',
  idField: 'userid',
  writable: new Set(['fname', 'lname', 'organization', 'email', 'bus_phone', 'home_phone', 'mob_phone', 'fax', 'note', 'currency_code', 'language',
    'p_street', 'p_street2', 'p_city', 'p_province', 'p_code', 'p_country', 'vat_name', 'vat_number', 'pref_email', 'pref_gmail']),
  prepare(values, ctx) {
    const named = ['fname', 'lname', 'email', 'organization'].some((f) => typeof values[f] === 'string' && (values[f] as string).trim() !== '');
    if (!named) throw invalid(ERRNO.requiredField, 'client', 'organization', 'At least one of fname, lname, email or organization is required.');
    for (const [field, value] of Object.entries(values)) {
      if (value !== null && typeof value === 'object') throw invalid(ERRNO.invalidValue, 'client', field, `${field} must be a value, not an object.`, JSON.stringify(value));
    }
    const email = values.email;
    if (email !== undefined && email !== null && email !== '') {
      if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw invalid(ERRNO.invalidValue, 'client', 'email', 'Invalid email address.', email);
      const taken = ctx.view.findLatest('clients', (r) => !r.archived && r.id !== ctx.selfId && String(r.fields.email ?? '').toLowerCase() === email.toLowerCase());
      if (taken) throw invalid(ERRNO.invalidValue, 'client', 'email', 'A client with this email address already exists.', email);
    }
    currencyCode('client', values);
    return { ...values, organization: values.organization ?? [values.fname, values.lname].filter(Boolean).join(' ') };
  },
  present(record, accountId) {
    return {
      accounting_systemid: accountId, fname: '', lname: '', organization: '', email: '', bus_phone: '', home_phone: '', mob_phone: '', fax: '', note: null,
      currency_code: 'USD', language: 'en', p_street: '', p_street2: '', p_city: '', p_province: '', p_code: '', p_country: '', vat_name: null, vat_number: null,
      pref_email: true, pref_gmail: false, role: 'client', level: 0, num_logins: 0,
      ...record.fields,
      id: Number(record.id), userid: Number(record.id),
      signup_date: easternTime(Date.parse(record.createdAt)), updated: easternTime(Date.parse(record.updatedAt)), vis_state: visState(record),
    };
  },
  searches: {
    email: (resource, value) => String(resource.email ?? '').toLowerCase() === value.toLowerCase(),
  },
};

const invoice: ResourceSpec = {
  collection: 'invoices',
  single: 'invoice',
  path: 'invoices/invoices',
  idField: 'invoiceid',
  writable: new Set(['customerid', 'create_date', 'due_offset_days', 'invoice_number', 'notes', 'terms', 'po_number', 'currency_code', 'language', 'lines']),
  prepare(values, ctx) {
    const customerId = values.customerid;
    if (customerId === undefined || customerId === null || customerId === '') throw invalid(ERRNO.requiredField, 'invoice', 'customerid', 'Field customerid is required.');
    const customer = ctx.view.latest('clients', String(customerId));
    if (!customer) throw invalid(ERRNO.unknownResource, 'invoice', 'customerid', 'Client not found.', customerId);
    if (customer.archived) throw invalid(ERRNO.deletedResource, 'invoice', 'customerid', 'The client referred to is deleted.', customerId);
    const createDate = values.create_date;
    if (createDate === undefined || createDate === null || createDate === '') throw invalid(ERRNO.requiredField, 'invoice', 'create_date', 'Field create_date is required.');
    if (typeof createDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(createDate) || Number.isNaN(Date.parse(createDate))) {
      throw invalid(ERRNO.mappingErrorDate, 'invoice', 'create_date', 'Invalid date, expected YYYY-MM-DD.', createDate);
    }
    const offset = values.due_offset_days === undefined || values.due_offset_days === null ? 0 : Number(values.due_offset_days);
    if (!Number.isInteger(offset) || offset < 0) throw invalid(ERRNO.mappingErrorNumber, 'invoice', 'due_offset_days', 'due_offset_days must be a whole number of days.', values.due_offset_days);
    const code = currencyCode('invoice', values) ?? 'USD';
    if (values.lines !== undefined && !Array.isArray(values.lines)) throw invalid(ERRNO.invalidValue, 'invoice', 'lines', 'lines must be a list.');
    const lines = (values.lines as unknown[] | undefined ?? []).map((line, i) => prepareLine(line, i, code));
    const total = lines.reduce((sum, line) => sum + Number((line.amount as { amount: string }).amount), 0);
    const number = values.invoice_number === undefined || values.invoice_number === null || values.invoice_number === '' ? nextInvoiceNumber(ctx) : String(values.invoice_number);
    return {
      ...values, customerid: Number(customerId), create_date: createDate, due_offset_days: offset, currency_code: code, invoice_number: number, lines,
      due_date: new Date(Date.parse(`${createDate}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10),
      amount: money(total, code), outstanding: money(total, code), paid: money(0, code),
      fname: customer.fields.fname ?? '', lname: customer.fields.lname ?? '', organization: customer.fields.organization ?? '',
    };
  },
  present(record, accountId) {
    return {
      accountid: accountId, accounting_systemid: accountId, notes: '', terms: null, po_number: null, language: 'en', status: 1, v3_status: 'draft',
      display_status: 'draft', payment_status: 'unpaid',
      ...record.fields,
      id: Number(record.id), invoiceid: Number(record.id),
      lines: ((record.fields.lines as Fields[] | undefined) ?? []).map((line, i) => ({ ...line, lineid: i + 1, invoiceid: Number(record.id), updated: easternTime(Date.parse(record.updatedAt)) })),
      created_at: easternTime(Date.parse(record.createdAt)), updated: easternTime(Date.parse(record.updatedAt)), vis_state: visState(record),
    };
  },
  searches: {
    invoice_number: (resource, value) => String(resource.invoice_number ?? '') === value,
    customerid: (resource, value) => String(resource.customerid ?? '') === value,
  },
};

const item: ResourceSpec = {
  collection: 'items',
  single: 'item',
  path: 'items/items',
  idField: 'itemid',
  writable: new Set(['name', 'description', 'qty', 'unit_cost', 'inventory', 'sku', 'tax1', 'tax2']),
  prepare(values) {
    if (typeof values.name !== 'string' || values.name.trim() === '') throw invalid(ERRNO.requiredField, 'item', 'name', 'Field name is required.');
    const qty = values.qty === undefined || values.qty === null ? 1 : Number(values.qty);
    if (!Number.isFinite(qty)) throw invalid(ERRNO.mappingErrorNumber, 'item', 'qty', 'qty must be a number.', values.qty);
    const cost = values.unit_cost as Fields | undefined;
    const amount = cost === undefined || cost === null ? 0 : Number(cost.amount);
    if (!Number.isFinite(amount)) throw invalid(ERRNO.mappingErrorNumber, 'item', 'unit_cost', 'unit_cost.amount must be a number.', cost?.amount);
    return { ...values, qty: String(qty), unit_cost: money(amount, typeof cost?.code === 'string' ? cost.code : 'USD') };
  },
  present(record, accountId) {
    return {
      accounting_systemid: accountId, description: '', inventory: null, sku: null, tax1: 0, tax2: 0, ...record.fields,
      id: Number(record.id), itemid: Number(record.id), updated: easternTime(Date.parse(record.updatedAt)), vis_state: visState(record),
    };
  },
  searches: {},
};

export const RESOURCES: readonly ResourceSpec[] = [client, invoice, item];

function prepareLine(line: unknown, index: number, code: string): Fields {
  if (typeof line !== 'object' || line === null || Array.isArray(line)) throw invalid(ERRNO.invalidValue, 'line', 'lines', `Line ${index + 1} is not an object.`);
  const l = line as Fields;
  const qty = l.qty === undefined || l.qty === null ? 1 : Number(l.qty);
  if (!Number.isFinite(qty)) throw invalid(ERRNO.mappingErrorNumber, 'line', 'qty', 'qty must be a number.', l.qty);
  const cost = (l.unit_cost ?? {}) as Fields;
  const unit = Number(cost.amount ?? 0);
  if (!Number.isFinite(unit)) throw invalid(ERRNO.mappingErrorNumber, 'line', 'unit_cost', 'unit_cost.amount must be a number.', cost.amount);
  return {
    type: 0, name: l.name ?? '', description: l.description ?? '', qty: String(qty), unit_cost: money(unit, code),
    amount: money(qty * unit, code), taxName1: l.taxName1 ?? '', taxAmount1: l.taxAmount1 ?? '0', taxName2: l.taxName2 ?? '', taxAmount2: l.taxAmount2 ?? '0',
  };
}

function currencyCode(object: string, values: Fields): string | undefined {
  const code = values.currency_code;
  if (code === undefined || code === null || code === '') return undefined;
  if (typeof code !== 'string' || !/^[A-Z]{3}$/.test(code)) throw invalid(ERRNO.invalidValue, object, 'currency_code', 'currency_code must be a 3-letter ISO 4217 code.', code);
  return code;
}

function money(amount: number, code: string): { amount: string; code: string } {
  return { amount: (Math.round(amount * 100) / 100).toFixed(2), code };
}

function nextInvoiceNumber(ctx: ResourceContext): string {
  let highest = 0;
  ctx.view.eachLatest('invoices', (r) => {
    const n = Number(r.fields.invoice_number);
    if (Number.isInteger(n) && n > highest) highest = n;
  });
  return String(highest + 1).padStart(7, '0');
}

/** A record's `updated` day in Eastern time, as search[updated_min]/[updated_max] compare it. */
export function updatedDay(record: Pick<StoredRecord, 'updatedAt'>): string {
  return easternDate(Date.parse(record.updatedAt));
}

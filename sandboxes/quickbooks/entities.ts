import type { RecordView, StoredRecord } from '../kit';
import { companyDate } from './company-time';
import { faults } from './errors';

/**
 * The three entities the sandbox keeps, as the Accounting API reference describes them
 * (developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer, .../item,
 * .../invoice). A stored record's `fields` hold the entity's own properties plus SyncToken; Id and
 * MetaData come from the store. `archived` means inactive for the name lists (Customer, Item),
 * which QuickBooks never deletes, and deleted for Invoice.
 */
export type EntityName = 'Customer' | 'Item' | 'Invoice';
export type Fields = Record<string, unknown>;

export interface EntitySpec {
  name: EntityName;
  /** The URL segment: /v3/company/{realmId}/customer. */
  resource: string;
  /** Name lists are made inactive (Active=false) instead of deleted; transactions are deleted. */
  kind: 'name-list' | 'transaction';
  /** Properties a request may set. */
  writable: ReadonlySet<string>;
  /** Checks and completes the properties of a create or update; throws QboFault. */
  prepare(values: Fields, ctx: EntityContext): Fields;
}

export interface EntityContext {
  view: RecordView;
  nowMs: number;
  /** The record being updated (excluded from uniqueness checks). */
  selfId?: string;
}

/** Properties QuickBooks sets itself: ignored when a request sends them. */
export const SYSTEM_PROPERTIES = new Set(['Id', 'SyncToken', 'domain', 'sparse', 'MetaData', 'FullyQualifiedName', 'Balance', 'TotalAmt', 'status']);

const customer: EntitySpec = {
  name: 'Customer',
  resource: 'customer',
  kind: 'name-list',
  writable: new Set(['DisplayName', 'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'CompanyName', 'PrimaryEmailAddr', 'PrimaryPhone',
    'Mobile', 'Notes', 'Active', 'PrintOnCheckName', 'Taxable', 'BillAddr', 'ShipAddr', 'WebAddr']),
  prepare(values, ctx) {
    for (const name of ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'CompanyName', 'Notes', 'PrintOnCheckName']) maxLength(values, name, name === 'Notes' ? 2000 : 100);
    const generated = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix'].map((n) => values[n]).filter((v) => typeof v === 'string' && v.trim() !== '').join(' ');
    const displayName = typeof values.DisplayName === 'string' && values.DisplayName.trim() !== '' ? values.DisplayName.trim() : generated;
    if (displayName === '') throw faults.requiredParam('DisplayName');
    maxLength({ DisplayName: displayName }, 'DisplayName', 500);
    unique(ctx, 'Customer', 'DisplayName', displayName);
    const email = nested(values, 'PrimaryEmailAddr', 'Address');
    if (email !== undefined && (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))) throw faults.invalidEmail('PrimaryEmailAddr.Address', email);
    const phone = nested(values, 'PrimaryPhone', 'FreeFormNumber');
    if (phone !== undefined && typeof phone !== 'string') throw faults.invalidValue('PrimaryPhone.FreeFormNumber', 'FreeFormNumber must be text');
    return {
      ...values,
      DisplayName: displayName,
      FullyQualifiedName: displayName,
      PrintOnCheckName: values.PrintOnCheckName ?? displayName,
      Taxable: values.Taxable ?? false,
      Balance: 0,
    };
  },
};

const ITEM_TYPES = ['Service', 'NonInventory', 'Inventory'];

const item: EntitySpec = {
  name: 'Item',
  resource: 'item',
  kind: 'name-list',
  writable: new Set(['Name', 'Description', 'Type', 'UnitPrice', 'IncomeAccountRef', 'ExpenseAccountRef', 'AssetAccountRef', 'Sku', 'Active', 'Taxable',
    'PurchaseDesc', 'PurchaseCost', 'QtyOnHand', 'InvStartDate', 'TrackQtyOnHand']),
  prepare(values, ctx) {
    if (typeof values.Name !== 'string' || values.Name.trim() === '') throw faults.requiredParam('Name');
    maxLength(values, 'Name', 100);
    maxLength(values, 'Description', 4000);
    const name = values.Name.trim();
    unique(ctx, 'Item', 'Name', name);
    const type = values.Type ?? 'Service';
    if (typeof type !== 'string' || !ITEM_TYPES.includes(type)) throw faults.invalidEnumeration('Type', type, ITEM_TYPES);
    if ((type === 'Service' || type === 'Inventory') && !refValue(values.IncomeAccountRef)) throw faults.requiredParam('IncomeAccountRef');
    if (type === 'Inventory') {
      for (const required of ['AssetAccountRef', 'QtyOnHand', 'InvStartDate']) if (values[required] === undefined || values[required] === null) throw faults.requiredParam(required);
    }
    const prepared: Fields = { ...values, Name: name, FullyQualifiedName: name, Type: type };
    for (const field of ['UnitPrice', 'PurchaseCost', 'QtyOnHand']) {
      if (prepared[field] !== undefined && prepared[field] !== null) prepared[field] = toNumber(field, prepared[field]);
    }
    return prepared;
  },
};

const invoice: EntitySpec = {
  name: 'Invoice',
  resource: 'invoice',
  kind: 'transaction',
  writable: new Set(['CustomerRef', 'Line', 'DocNumber', 'TxnDate', 'DueDate', 'PrivateNote', 'CustomerMemo', 'BillEmail']),
  prepare(values, ctx) {
    const customerRef = reference(ctx, 'Customer', 'CustomerRef', values.CustomerRef);
    if (!Array.isArray(values.Line) || values.Line.length === 0) throw faults.requiredParam('Line');
    const lines = values.Line
      .filter((line) => !(isObject(line) && line.DetailType === 'SubTotalLineDetail'))
      .map((line, i) => prepareLine(ctx, line, i));
    const total = round2(lines.reduce((sum, line) => sum + (line.Amount as number), 0));
    const txnDate = dateValue('TxnDate', values.TxnDate) ?? companyDate(ctx.nowMs);
    const dueDate = dateValue('DueDate', values.DueDate) ?? addDays(txnDate, 30);
    const docNumber = values.DocNumber === undefined || values.DocNumber === null || values.DocNumber === '' ? nextDocNumber(ctx) : String(values.DocNumber);
    if (docNumber.length > 21) throw faults.invalidValue('DocNumber', 'DocNumber is at most 21 characters');
    if (findLive(ctx, 'Invoice', (r) => r.fields.DocNumber === docNumber)) throw faults.duplicateDocNumber(docNumber);
    return { ...values, CustomerRef: customerRef, Line: lines, DocNumber: docNumber, TxnDate: txnDate, DueDate: dueDate, TotalAmt: total, Balance: total };
  },
};

export const ENTITIES: readonly EntitySpec[] = [customer, item, invoice];

export function entityByName(name: string): EntitySpec | undefined {
  return ENTITIES.find((e) => e.name.toLowerCase() === name.toLowerCase());
}

export function entityByResource(resource: string): EntitySpec | undefined {
  return ENTITIES.find((e) => e.resource === resource.toLowerCase());
}

/** Whether a stored record reads as live: active name-list entries, invoices not deleted. */
export function isLive(record: Pick<StoredRecord, 'archived'>): boolean {
  return !record.archived;
}

function prepareLine(ctx: EntityContext, line: unknown, index: number): Fields {
  if (!isObject(line)) throw faults.invalidValue('Line', `Line ${index + 1} is not an object`);
  const detailType = line.DetailType;
  const id = String(index + 1);
  if (detailType === 'DescriptionOnly') {
    return { Id: id, LineNum: index + 1, DetailType: 'DescriptionOnly', Description: line.Description ?? '', Amount: line.Amount === undefined ? 0 : toNumber('Line.Amount', line.Amount), DescriptionLineDetail: {} };
  }
  if (detailType !== 'SalesItemLineDetail') throw faults.invalidEnumeration('Line.DetailType', detailType, ['SalesItemLineDetail', 'DescriptionOnly', 'SubTotalLineDetail']);
  const detail = isObject(line.SalesItemLineDetail) ? line.SalesItemLineDetail : {};
  const itemRef = reference(ctx, 'Item', 'Line.SalesItemLineDetail.ItemRef', detail.ItemRef);
  const itemRecord = ctx.view.latest('Item', String(itemRef.value));
  const qty = detail.Qty === undefined ? 1 : toNumber('Line.SalesItemLineDetail.Qty', detail.Qty);
  const unitPrice = detail.UnitPrice === undefined ? Number(itemRecord?.fields.UnitPrice ?? 0) : toNumber('Line.SalesItemLineDetail.UnitPrice', detail.UnitPrice);
  const expected = round2(qty * unitPrice);
  const amount = line.Amount === undefined ? expected : toNumber('Line.Amount', line.Amount);
  if (Math.abs(amount - expected) > 0.005) throw faults.amountMismatch('Line.Amount', expected, amount);
  return {
    Id: id, LineNum: index + 1, Amount: amount, DetailType: 'SalesItemLineDetail',
    ...(line.Description !== undefined ? { Description: line.Description } : {}),
    SalesItemLineDetail: { ...detail, ItemRef: itemRef, Qty: qty, UnitPrice: unitPrice },
  };
}

/** A { value } reference to a live record of `entity`, with the name QuickBooks adds to it. */
function reference(ctx: EntityContext, entity: EntityName, element: string, ref: unknown): { value: string; name: string } {
  const id = refValue(ref);
  if (!id) throw faults.requiredParam(element);
  const target = ctx.view.latest(entity, id);
  if (!target) throw faults.invalidReference(element, id);
  if (!isLive(target)) throw faults.objectNotFound(`${entity} ${id} is inactive`, element);
  return { value: id, name: String(target.fields.FullyQualifiedName ?? target.fields.DisplayName ?? target.fields.Name ?? '') };
}

function refValue(ref: unknown): string | undefined {
  if (!isObject(ref)) return undefined;
  const value = ref.value;
  return (typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : undefined;
}

/** Names are unique per list, inactive entries included, ignoring case (Intuit's 6240). */
function unique(ctx: EntityContext, entity: EntityName, field: string, value: string): void {
  const wanted = value.toLowerCase();
  let clash = false;
  ctx.view.eachLatest(entity, (r) => {
    if (r.id !== ctx.selfId && typeof r.fields[field] === 'string' && (r.fields[field] as string).trim().toLowerCase() === wanted) clash = true;
  });
  if (clash) throw faults.duplicateName(entity);
}

function findLive(ctx: EntityContext, entity: EntityName, match: (r: Readonly<StoredRecord>) => boolean): boolean {
  let found = false;
  ctx.view.eachLatest(entity, (r) => {
    if (r.id !== ctx.selfId && isLive(r) && match(r)) found = true;
  });
  return found;
}

function nextDocNumber(ctx: EntityContext): string {
  let highest = 1000;
  ctx.view.eachLatest('Invoice', (r) => {
    const n = Number(r.fields.DocNumber);
    if (Number.isInteger(n) && n > highest) highest = n;
  });
  return String(highest + 1);
}

function nested(values: Fields, parent: string, child: string): unknown {
  const holder = values[parent];
  if (holder === undefined || holder === null) return undefined;
  if (!isObject(holder)) throw faults.invalidValue(parent, `${parent} must be an object with ${child}`);
  return holder[child];
}

function maxLength(values: Fields, field: string, max: number): void {
  const value = values[field];
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') throw faults.invalidValue(field, `${field} must be text`);
  if (value.length > max) throw faults.invalidValue(field, `${field} is longer than ${max} characters`);
}

function toNumber(field: string, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw faults.invalidNumber(field, value);
  return n;
}

function dateValue(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw faults.invalidDate(field, value);
  return value;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

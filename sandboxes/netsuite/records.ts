import type { StoredRecord } from '../kit';
import { fail, fieldError, type ErrorDetail } from './errors';
import { defaultDateFormat, isoSeconds } from './time';

/**
 * The record types the sandbox serves, as the REST record service v1 describes them (REST API
 * Browser, record types `customer` and `salesOrder`) and as SuiteQL shows them (tables `customer`
 * and `transaction` where type = 'SalesOrd'). Records are stored in the record service's shape:
 * camelCase body fields, references as { id }, the `item` sublist as an array of lines.
 */
export type FieldKind = 'text' | 'email' | 'boolean' | 'number' | 'ref' | 'date' | 'sublist';

export interface FieldDef {
  name: string;
  kind: FieldKind;
  /** Its SuiteQL column ('' when SuiteQL does not expose it, as for sublists). */
  column: string;
  maxLength?: number;
  /** The label NetSuite names in "Please enter value(s) for: …". */
  label?: string;
}

export interface RecordType {
  /** The record service's name: /services/rest/record/v1/{type}. */
  type: 'customer' | 'salesOrder';
  /** The object in the sandbox state. */
  object: string;
  /** The SuiteQL table, and the `type` value its rows carry for transactions. */
  table: string;
  tranType?: string;
  /** The `type` column of deletedrecord for this record type. */
  deletedType: string;
  fields: FieldDef[];
  createdColumn: string;
}

const f = (name: string, kind: FieldKind, extra: Partial<FieldDef> = {}): FieldDef => ({ name, kind, column: name.toLowerCase(), ...extra });

export const customerType: RecordType = {
  type: 'customer', object: 'customer', table: 'customer', deletedType: 'customer', createdColumn: 'datecreated',
  fields: [
    f('externalId', 'text', { maxLength: 255 }), f('entityId', 'text', { maxLength: 83 }), f('companyName', 'text', { maxLength: 83, label: 'Company Name' }),
    f('isPerson', 'boolean'), f('firstName', 'text', { maxLength: 32 }), f('lastName', 'text', { maxLength: 32, label: 'Last Name' }),
    f('email', 'email', { maxLength: 254 }), f('phone', 'text', { maxLength: 32 }), f('comments', 'text', { maxLength: 999 }), f('subsidiary', 'ref'),
  ],
};

export const salesOrderType: RecordType = {
  type: 'salesOrder', object: 'salesOrder', table: 'transaction', tranType: 'SalesOrd', deletedType: 'salesorder', createdColumn: 'createddate',
  fields: [
    f('externalId', 'text', { maxLength: 255 }), f('entity', 'ref', { label: 'Customer' }), f('tranDate', 'date'), f('memo', 'text', { maxLength: 999 }),
    f('otherRefNum', 'text', { maxLength: 45 }), f('item', 'sublist', { column: '', label: 'Items' }),
  ],
};

export const recordTypes = [customerType, salesOrderType];
export const DELETED_RECORD = 'deletedRecord';
export const ASYNC_JOBS = 'asyncJob';

export function recordType(name: string): RecordType | undefined {
  return recordTypes.find((t) => t.type === name);
}

/** Fields set by NetSuite: sent in a body, they are refused. */
const READ_ONLY = new Set(['id', 'tranId', 'total', 'dateCreated', 'createdDate', 'lastModifiedDate', 'links', 'refName']);

export interface Line {
  line: number;
  item: { id: string };
  quantity: number;
  rate: number;
  description?: string;
}

/**
 * Checks a request body against the record type; answers the fields to store. `partial` is a PATCH
 * (only what is sent changes); `replace` names sublists to replace rather than add lines to.
 */
export function validateBody(type: RecordType, body: unknown, options: { partial: boolean; replace: string[]; current?: Record<string, unknown>;
  entityExists: (id: string) => boolean }): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    fail(400, { detail: 'Invalid content in the request body. The request body must be a JSON object.', code: 'INVALID_CONTENT' });
  }
  const errors: ErrorDetail[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (READ_ONLY.has(name)) {
      errors.push(fieldError(name, `The field ${name} is read-only and cannot be set.`, 'INVALID_CONTENT'));
      continue;
    }
    const def = type.fields.find((d) => d.name === name);
    if (!def) {
      errors.push(fieldError(name, `Invalid field: ${name} is not a field of record type ${type.type}.`, 'INVALID_CONTENT'));
      continue;
    }
    const checked = checkValue(def, value, options, errors);
    if (checked !== undefined) out[name] = checked;
  }
  if (errors.length === 0) errors.push(...missingRequired(type, { ...(options.current ?? {}), ...out }));
  if (errors.length > 0) fail(400, ...errors);
  if (type.type === 'salesOrder' && Array.isArray(out.item) && !options.replace.includes('item') && Array.isArray(options.current?.item)) {
    // Without ?replace=item, lines sent are added to the sublist (REST: "sublist fields are merged").
    const existing = options.current.item as Line[];
    out.item = [...existing, ...(out.item as Line[]).map((l, i) => ({ ...l, line: existing.length + i + 1 }))];
  }
  return out;
}

function checkValue(def: FieldDef, value: unknown, options: { entityExists: (id: string) => boolean }, errors: ErrorDetail[]): unknown {
  if (value === null || value === '') return def.kind === 'sublist' ? [] : null;
  switch (def.kind) {
    case 'text':
    case 'email': {
      if (typeof value !== 'string' && typeof value !== 'number') return void errors.push(fieldError(def.name, `The value of ${def.name} must be a string.`, 'INVALID_CONTENT'));
      const text = String(value);
      if (def.maxLength !== undefined && text.length > def.maxLength) return void errors.push(fieldError(def.name, `The field ${def.name} contained more than the maximum number (${def.maxLength}) of characters allowed.`));
      if (def.kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return void errors.push(fieldError(def.name, 'Please enter a valid email address.'));
      return text;
    }
    case 'boolean':
      if (typeof value !== 'boolean') return void errors.push(fieldError(def.name, `The value of ${def.name} must be true or false.`, 'INVALID_CONTENT'));
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return void errors.push(fieldError(def.name, `The value of ${def.name} must be a number.`, 'INVALID_CONTENT'));
      return value;
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return void errors.push(fieldError(def.name, `Invalid date value for ${def.name}: use YYYY-MM-DD.`, 'INVALID_CONTENT'));
      return value;
    case 'ref': {
      const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
      if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') return void errors.push(fieldError(def.name, `The value of ${def.name} must be an object with an id.`, 'INVALID_CONTENT'));
      if (def.name === 'entity' && !options.entityExists(String(id))) return void errors.push(fieldError(def.name, `Invalid entity reference key ${String(id)}.`));
      return { id: String(id) };
    }
    case 'sublist':
      return checkLines(def, value, errors);
  }
}

function checkLines(def: FieldDef, value: unknown, errors: ErrorDetail[]): Line[] | undefined {
  const items = typeof value === 'object' && value !== null ? (value as { items?: unknown }).items : undefined;
  if (!Array.isArray(items)) return void errors.push(fieldError(def.name, `The sublist ${def.name} must be an object with an items array.`, 'INVALID_CONTENT'));
  const lines: Line[] = [];
  items.forEach((raw, i) => {
    const line = (raw ?? {}) as Record<string, unknown>;
    const id = typeof line.item === 'object' && line.item !== null ? (line.item as { id?: unknown }).id : undefined;
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') {
      errors.push(fieldError(`${def.name}.items[${i}].item`, 'Please enter value(s) for: Item.'));
      return;
    }
    const quantity = line.quantity ?? 1;
    const rate = line.rate ?? 0;
    if (typeof quantity !== 'number' || typeof rate !== 'number') {
      errors.push(fieldError(`${def.name}.items[${i}].${typeof quantity !== 'number' ? 'quantity' : 'rate'}`, 'The value must be a number.', 'INVALID_CONTENT'));
      return;
    }
    lines.push({ line: i + 1, item: { id: String(id) }, quantity, rate, ...(typeof line.description === 'string' ? { description: line.description } : {}) });
  });
  return lines;
}

function missingRequired(type: RecordType, merged: Record<string, unknown>): ErrorDetail[] {
  const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
  const required = type.type === 'customer'
    ? (merged.isPerson === true ? ['lastName'] : ['companyName'])
    : ['entity', 'item'];
  return required.filter((name) => blank(merged[name])).map((name) => {
    const label = type.fields.find((d) => d.name === name)?.label ?? name;
    return fieldError(name, `Please enter value(s) for: ${label}.`);
  });
}

/** Fields NetSuite fills in (entityId / tranId numbering, total), worked out whenever a record is shown. */
export function derivedFields(type: RecordType, id: string, fields: Record<string, unknown>): Record<string, unknown> {
  if (type.type === 'customer') return { entityId: fields.entityId ?? `CUST${id}` };
  const lines = (fields.item as Line[] | undefined) ?? [];
  return { tranId: fields.tranId ?? `SO${id}`, total: lines.reduce((sum, l) => sum + l.quantity * l.rate, 0) };
}

const recordUrl = (baseUrl: string, type: string, id: string) => `${baseUrl}/services/rest/record/v1/${type}/${id}`;

/** GET /record/v1/{type}/{id}: empty fields left out, references with links and refName, sublists as links unless expanded. */
export function presentRest(type: RecordType, record: StoredRecord, baseUrl: string, options: { expand: boolean; fields?: string[] }): Record<string, unknown> {
  const self = recordUrl(baseUrl, type.type, record.id);
  const out: Record<string, unknown> = { links: [{ rel: 'self', href: self }], id: record.id };
  const values: Record<string, unknown> = {
    ...record.fields, ...derivedFields(type, record.id, record.fields), dateCreated: isoSeconds(record.createdAt), lastModifiedDate: isoSeconds(record.updatedAt),
  };
  if (type.type === 'salesOrder') values.createdDate = values.dateCreated;
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === '' || (options.fields && !options.fields.includes(name))) continue;
    if (type.type === 'salesOrder' && name === 'dateCreated') continue;
    const def = type.fields.find((d) => d.name === name);
    if (def?.kind === 'ref') out[name] = reference(baseUrl, name, String((value as { id: string }).id));
    else if (def?.kind === 'sublist') out[name] = sublist(self, name, value as Line[], baseUrl, options.expand);
    else out[name] = value;
  }
  return out;
}

function reference(baseUrl: string, field: string, id: string): Record<string, unknown> {
  const target = field === 'entity' ? 'customer' : field;
  return { links: [{ rel: 'self', href: `${baseUrl}/services/rest/record/v1/${target}/${id}` }], id, refName: field === 'subsidiary' && id === '1' ? 'Parent Company' : `${target} ${id}` };
}

function sublist(self: string, name: string, lines: Line[], baseUrl: string, expand: boolean): Record<string, unknown> {
  const links = [{ rel: 'self', href: `${self}/${name}` }];
  if (!expand) return { links };
  return {
    links,
    items: lines.map((l) => ({
      links: [{ rel: 'self', href: `${self}/${name}/${l.line}` }], line: l.line,
      item: { links: [{ rel: 'self', href: `${baseUrl}/services/rest/record/v1/inventoryItem/${l.item.id}` }], id: l.item.id, refName: `Item ${l.item.id}` },
      quantity: l.quantity, rate: l.rate, amount: l.quantity * l.rate, ...(l.description !== undefined ? { description: l.description } : {}),
    })),
    totalResults: lines.length, count: lines.length, hasMore: false, offset: 0,
  };
}

/**
 * A record as a SuiteQL row: lower-case columns, references as their id, booleans 'T'/'F', dates
 * in the user's format and time zone; empty columns are left out of the row (as SuiteQL does).
 * `typed` holds comparable values for WHERE and ORDER BY (ids and numbers as numbers, dates as epoch ms).
 */
export interface SuiteqlRow {
  shown: Record<string, unknown>;
  typed: Record<string, unknown>;
}

export function suiteqlRow(type: RecordType, stored: StoredRecord, timeZone: string): SuiteqlRow {
  const record = { ...stored, fields: { ...stored.fields, ...derivedFields(type, stored.id, stored.fields) } };
  const typed: Record<string, unknown> = {
    id: Number(record.id), [type.createdColumn]: Date.parse(record.createdAt), lastmodifieddate: Date.parse(record.updatedAt),
  };
  if (type.tranType) {
    typed.type = type.tranType;
    typed.tranid = record.fields.tranId ?? null;
    typed.foreigntotal = record.fields.total ?? null;
  } else {
    typed.entityid = record.fields.entityId ?? null;
  }
  for (const def of type.fields) {
    if (!def.column) continue;
    const value = record.fields[def.name];
    if (value === undefined || value === null || value === '') typed[def.column] = null;
    else if (def.kind === 'ref') typed[def.column] = String((value as { id: string }).id);
    else if (def.kind === 'boolean') typed[def.column] = value ? 'T' : 'F';
    else if (def.kind === 'date') typed[def.column] = Date.parse(`${String(value)}T00:00:00Z`);
    else typed[def.column] = value;
  }
  const dateColumns = new Set([type.createdColumn, 'lastmodifieddate']);
  const shown: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(typed)) {
    if (value === null) continue;
    if (dateColumns.has(column)) shown[column] = defaultDateFormat(value as number, timeZone);
    else if (column === 'trandate') shown[column] = defaultDateFormat(value as number, 'UTC');
    else shown[column] = column === 'id' ? String(value) : value;
  }
  return { shown, typed };
}

/** Which typed columns hold dates (TO_CHAR/TO_DATE work on them; trandate is a plain date, in UTC here). */
export function dateColumnZone(column: string, accountZone: string): string | undefined {
  if (column === 'trandate') return 'UTC';
  return ['lastmodifieddate', 'datecreated', 'createddate', 'deleteddate'].includes(column) ? accountZone : undefined;
}

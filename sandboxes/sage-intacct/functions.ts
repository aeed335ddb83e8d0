import { randomBytes } from 'node:crypto';
import type { HandlerContext, StoredRecord } from '../kit';
import { AUDIT, AUDIT_FIELDS, duplicateId, idChanged, intacctObject, notFound, problems, SYSTEM_FIELDS, type IntacctObject } from './objects';
import { intacctTime, parseQuery, QueryError, type Row } from './query';
import { attr, node, text, type GatewayError, type Node } from './xml';

/**
 * The functions the sandbox runs, one <result> each: create, update, delete (generic functions on
 * CUSTOMER and VENDOR), read (by RECORDNO), readByName (by ID), readByQuery and readMore (also on
 * AUDITHISTORY, where deletes are kept). A function's failure is its own: the others of the
 * request still run (https://developer.intacct.com/web-services/error-handling/ "Business logic errors").
 */
export interface FunctionOutcome {
  status: 'success' | 'failure';
  data?: Node;
  errors?: GatewayError[];
}

/** Default and largest readByQuery page (https://developer.intacct.com/web-services/queries/). */
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
/** Keys a read or readByName takes at once. */
const MAX_KEYS = 100;

interface PendingQuery {
  object: string;
  fields: string[];
  rows: Row[];
  /** readMore pages with the readByQuery's own pagesize. */
  pageSize: number;
}

export class Functions {
  /** Open readByQuery results by resultId, for readMore. */
  private readonly pending = new Map<string, PendingQuery>();

  constructor(private readonly userId: string) {}

  run(name: string, body: Node, ctx: HandlerContext): FunctionOutcome {
    try {
      switch (name) {
        case 'create': return this.create(body, ctx);
        case 'update': return this.update(body, ctx);
        case 'delete': return this.remove(body, ctx);
        case 'read': return this.read(body, ctx, 'RECORDNO');
        case 'readByName': return this.read(body, ctx, undefined);
        case 'readByQuery': return this.readByQuery(body, ctx);
        case 'readMore': return this.readMore(body);
        default: return failure({ errorno: 'XL03000009', description2: `Unknown function ${name}.`, correction: 'Check the function name against the API reference.' });
      }
    } catch (error) {
      if (error instanceof QueryError) return failure({ errorno: 'DL02000001', description: 'There was an error processing the request.', description2: `Query Failed: ${error.message}`, correction: '' });
      throw error;
    }
  }

  private create(body: Node, ctx: HandlerContext): FunctionOutcome {
    const [objectName, content] = Object.entries(body)[0] ?? [];
    const object = objectName ? intacctObject(objectName) : undefined;
    if (!object) return unknownObject(objectName);
    const values = textValues(node(content));
    const found = problems(object, 'create', values);
    if (found.length > 0) return failure(...found);
    const id = values[object.idField];
    if (ctx.records.findLatest(object.name, (r) => r.fields[object.idField] === id)) return failure(duplicateId(object, id));
    const fields = Object.fromEntries(Object.entries(values).filter(([k, v]) => k !== 'RECORDNO' && v !== ''));
    const created = ctx.records.insert(object.name, { fields: { STATUS: 'active', ONHOLD: 'false', ...fields, CREATEDBY: this.userId, MODIFIEDBY: this.userId } });
    this.audit(ctx, object, created, 'Created');
    return { status: 'success', data: { [attr('listtype')]: 'objects', [attr('count')]: '1', [object.name.toLowerCase()]: { RECORDNO: created.id, [object.idField]: id } } };
  }

  private update(body: Node, ctx: HandlerContext): FunctionOutcome {
    const [objectName, content] = Object.entries(body)[0] ?? [];
    const object = objectName ? intacctObject(objectName) : undefined;
    if (!object) return unknownObject(objectName);
    const values = textValues(node(content));
    const key = values.RECORDNO || values[object.idField] || '';
    const current = values.RECORDNO
      ? ctx.records.latest(object.name, values.RECORDNO)
      : ctx.records.findLatest(object.name, (r) => r.fields[object.idField] === values[object.idField]);
    if (!current) return failure(notFound(object, 'update', key));
    if (values.RECORDNO && object.idField in values && values[object.idField] !== current.fields[object.idField]) return failure(idChanged(object));
    const found = problems(object, 'update', values);
    if (found.length > 0) return failure(...found);
    const patch = Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'RECORDNO' && k !== object.idField));
    const updated = ctx.records.update(object.name, current.id, { ...patch, MODIFIEDBY: this.userId })!;
    this.audit(ctx, object, updated, 'Modified');
    return { status: 'success', data: { [attr('listtype')]: 'objects', [attr('count')]: '1', [object.name.toLowerCase()]: { RECORDNO: updated.id, [object.idField]: text(updated.fields[object.idField]) } } };
  }

  private remove(body: Node, ctx: HandlerContext): FunctionOutcome {
    const object = intacctObject(text(body.object));
    if (!object) return unknownObject(text(body.object));
    const keys = keyList(body.keys);
    const missing = keys.find((k) => !ctx.records.latest(object.name, k));
    if (missing !== undefined || keys.length === 0) return failure(notFound(object, 'delete', missing ?? ''));
    for (const key of keys) {
      const record = ctx.records.latest(object.name, key)!;
      if (ctx.records.remove(object.name, key) && !ctx.records.latest(object.name, key)) this.audit(ctx, object, record, 'Deleted');
    }
    return { status: 'success' };
  }

  private read(body: Node, ctx: HandlerContext, byField: string | undefined): FunctionOutcome {
    const object = intacctObject(text(body.object));
    if (!object) return unknownObject(text(body.object));
    const keys = keyList(body.keys);
    if (keys.length > MAX_KEYS) return failure({ errorno: 'XL03000009', description2: `Too many keys: at most ${MAX_KEYS} are read at once.`, correction: '' });
    const field = byField ?? object.idField;
    const visible = ctx.records.list(object.name);
    const rows = keys.flatMap((key) => visible.filter((r) => (field === 'RECORDNO' ? r.id : text(r.fields[field])) === key)).map((r) => recordRow(object, r));
    return { status: 'success', data: listData(object.name, rows, selected(body.fields, allFields(object)), rows.length, 0) };
  }

  private readByQuery(body: Node, ctx: HandlerContext): FunctionOutcome {
    const name = text(body.object).toUpperCase();
    const object = intacctObject(name);
    if (!object && name !== AUDIT) return unknownObject(name);
    const condition = parseQuery(text(body.query));
    const pageSize = Math.min(MAX_PAGE, Math.max(1, Number(text(body.pagesize)) || DEFAULT_PAGE));
    const rows = (object ? ctx.records.list(object.name).map((r) => recordRow(object, r)) : ctx.records.list(AUDIT).map(auditRow))
      .filter(condition);
    const fields = selected(body.fields, object ? allFields(object) : AUDIT_FIELDS);
    return this.page({ object: name, fields, rows, pageSize });
  }

  private readMore(body: Node): FunctionOutcome {
    const resultId = text(body.resultId);
    const pending = this.pending.get(resultId);
    if (!pending) return failure({ errorno: 'XL03000009', description2: `There is no pending result set for ${resultId || 'this object'}.`, correction: 'Run readByQuery again.' });
    this.pending.delete(resultId);
    return this.page(pending, resultId);
  }

  private page(query: PendingQuery, resultId = randomBytes(12).toString('hex')): FunctionOutcome {
    const page = query.rows.slice(0, query.pageSize);
    const rest = query.rows.slice(query.pageSize);
    if (rest.length > 0) this.pending.set(resultId, { ...query, rows: rest });
    return { status: 'success', data: { ...listData(query.object, page, query.fields, query.rows.length, rest.length), ...(rest.length > 0 ? { [attr('resultId')]: resultId } : {}) } };
  }

  private audit(ctx: HandlerContext, object: IntacctObject, record: StoredRecord, mode: 'Created' | 'Modified' | 'Deleted'): void {
    ctx.records.insert(AUDIT, {
      fields: {
        OBJECTTYPE: object.name.toLowerCase(), OBJECTKEY: record.id, OBJECTDESC: text(record.fields.NAME), USERID: this.userId,
        ACCESSTIME: intacctTime(ctx.clock.nowIso()), ACCESSMODE: mode, SOURCE: 'api',
      },
    });
  }
}

function failure(...errors: GatewayError[]): FunctionOutcome {
  return { status: 'failure', errors };
}

function unknownObject(name: string | undefined): FunctionOutcome {
  return failure({ errorno: 'XL03000009', description2: `Object ${name ?? '(none)'} is not supported by this sandbox.`, correction: 'Use CUSTOMER or VENDOR.' });
}

function textValues(content: Node | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(content ?? {}).map(([k, v]) => [k.toUpperCase(), text(v)]));
}

function keyList(value: unknown): string[] {
  return text(value).split(',').map((k) => k.trim()).filter(Boolean);
}

function allFields(object: IntacctObject): string[] {
  return [...SYSTEM_FIELDS, ...Object.keys(object.fields)];
}

/** `*` or absent: every field; else the named ones Intacct knows, in the order asked. */
function selected(value: unknown, known: string[]): string[] {
  const asked = text(value).split(',').map((f) => f.trim().toUpperCase()).filter(Boolean);
  return asked.length === 0 || asked.includes('*') ? known : asked.filter((f) => known.includes(f));
}

/** A stored CUSTOMER/VENDOR as the API shows it: every field as text, empty when unset. */
export function recordRow(object: IntacctObject, record: Readonly<StoredRecord>): Row {
  return {
    RECORDNO: record.id,
    WHENCREATED: intacctTime(record.createdAt),
    WHENMODIFIED: intacctTime(record.updatedAt),
    CREATEDBY: text(record.fields.CREATEDBY),
    MODIFIEDBY: text(record.fields.MODIFIEDBY),
    ...Object.fromEntries(Object.keys(object.fields).map((f) => [f, text(record.fields[f])])),
  };
}

function auditRow(record: Readonly<StoredRecord>): Row {
  return Object.fromEntries(AUDIT_FIELDS.map((f) => [f, text(record.fields[f])]));
}

function listData(object: string, rows: Row[], fields: string[], total: number, remaining: number): Node {
  return {
    [attr('listtype')]: object.toLowerCase(),
    [attr('count')]: String(rows.length),
    [attr('totalcount')]: String(total),
    [attr('numremaining')]: String(remaining),
    ...(rows.length > 0 ? { [object.toLowerCase()]: rows.map((row) => Object.fromEntries(fields.map((f) => [f, row[f] ?? '']))) } : {}),
  };
}

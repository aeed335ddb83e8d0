import type { HandlerContext, NewRecord, StoredRecord } from '../kit';
import { AUDIT_DELETE, findTable, INCIDENT, incidentPriority, SYS_USER, type TableDefinition } from './dictionary';
import type { Row } from './encoded-query';

/** The sandbox's integration user, who creates and updates every record written through the API. */
export const API_USER = 'forge.integration';
const SYS_ID = /^[0-9a-f]{32}$/;

/** "YYYY-MM-DD HH:mm:ss" in UTC, the Table API's date-time form (whole seconds). */
export function snTime(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

export function isSysId(value: unknown): value is string {
  return typeof value === 'string' && SYS_ID.test(value);
}

/** Every field of the table, as the Table API shows a record: blanks as "", the sys_ stamps filled in. */
export function presentRow(table: TableDefinition, record: StoredRecord): Row {
  const row: Row = { sys_id: record.id };
  for (const name of [...Object.keys(table.fields), ...Object.keys(table.generated ?? {})]) row[name] = stringValue(record.fields[name]);
  row.sys_created_on = snTime(record.createdAt);
  row.sys_created_by = stringValue(record.fields.sys_created_by);
  row.sys_updated_on = snTime(record.updatedAt);
  row.sys_updated_by = stringValue(record.fields.sys_updated_by);
  row.sys_mod_count = stringValue(record.fields.sys_mod_count ?? '0');
  return row;
}

export function rowFields(table: TableDefinition): Set<string> {
  return new Set(['sys_id', ...Object.keys(table.fields), ...Object.keys(table.generated ?? {}),
    'sys_created_on', 'sys_created_by', 'sys_updated_on', 'sys_updated_by', 'sys_mod_count']);
}

function stringValue(value: unknown): string {
  return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The writable fields a body sets, as stored strings (null clears); names the table lacks are ignored, as ServiceNow does. */
export function writableValues(table: TableDefinition, body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!Object.hasOwn(table.fields, name)) continue;
    const raw = typeof value === 'object' && value !== null && 'value' in value ? (value as { value: unknown }).value : value;
    values[name] = stringValue(raw);
  }
  return values;
}

/** The labels of mandatory fields left blank (Data Policy), in dictionary order. */
export function missingMandatory(table: TableDefinition, fields: Record<string, unknown>): string[] {
  return (table.mandatory ?? []).filter((name) => stringValue(fields[name]).trim() === '').map((name) => table.fields[name]);
}

/** Auto-numbers (INC0010001, ...): the Number Maintenance counter of the incident table. */
export class Numbering {
  private next = 10001;

  take(prefix: string): string {
    return `${prefix}${String(this.next++).padStart(7, '0')}`;
  }
}

/** Fields the instance sets on insert (number, priority, active, opened_at) and the creator stamps. */
export function insertedFields(table: TableDefinition, values: Record<string, string>, now: string, numbering: Numbering, by = API_USER): Record<string, string> {
  const fields: Record<string, string> = { ...values, sys_created_by: by, sys_updated_by: by, sys_mod_count: '0' };
  if (table.name === INCIDENT) {
    fields.number ||= numbering.take('INC');
    fields.state ||= '1';
    fields.impact ||= '3';
    fields.urgency ||= '3';
    fields.priority = incidentPriority(fields.impact, fields.urgency);
    fields.active = ['6', '7', '8'].includes(fields.state) ? 'false' : 'true';
    fields.opened_at ||= snTime(now);
  }
  if (table.name === SYS_USER) fields.active ||= 'true';
  return fields;
}

/** The stored fields after an update: the values, recalculated priority/active, one more modification. */
export function updatedFields(table: TableDefinition, current: StoredRecord, values: Record<string, string>, by = API_USER): Record<string, string> {
  const merged: Record<string, string> = { ...(current.fields as Record<string, string>), ...values };
  const changes: Record<string, string> = { ...values, sys_updated_by: by, sys_mod_count: String(Number(current.fields.sys_mod_count ?? 0) + 1) };
  if (table.name === INCIDENT) {
    changes.priority = incidentPriority(merged.impact, merged.urgency);
    changes.active = ['6', '7', '8'].includes(merged.state) ? 'false' : 'true';
  }
  return changes;
}

/**
 * What a delete leaves in Audit Deleted Records [sys_audit_delete]: the table, the deleted record's
 * sys_id as documentkey, its display value and its whole XML payload (what "Undelete" restores from).
 */
export function recordDeletion(ctx: HandlerContext, table: TableDefinition, record: StoredRecord): void {
  if (!table.auditDeletes) return;
  const row = presentRow(table, record);
  const payload = `<?xml version="1.0" encoding="UTF-8"?><record_update table="${table.name}"><${table.name}>`
    + Object.entries(row).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('') + `</${table.name}></record_update>`;
  ctx.records.insert(AUDIT_DELETE, {
    fields: {
      tablename: table.name, documentkey: record.id, display_value: row.number || row.user_name || row.u_name || record.id, payload,
      sys_created_by: API_USER, sys_updated_by: API_USER, sys_mod_count: '0',
    },
  });
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' }[c]!));
}

/** A seed in the Table API's own form: sys_id, sys_created_on/sys_updated_on ("YYYY-MM-DD HH:mm:ss" or ISO) and fields. */
export function seedRow(object: string, input: Record<string, unknown>, numbering: Numbering): NewRecord {
  const table = findTable(object);
  if (!table) throw new Error(`unknown table ${object}`);
  const { sys_id, sys_created_on, sys_updated_on, ...rest } = input;
  const at = (value: unknown) => (typeof value === 'string' ? new Date(`${value.replace(' ', 'T')}${/Z|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`).toISOString() : undefined);
  const createdAt = at(sys_created_on);
  const updatedAt = at(sys_updated_on) ?? createdAt;
  const values = table.readOnly ? Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, stringValue(v)])) : writableValues(table, rest);
  const generated = Object.fromEntries(Object.keys(table.generated ?? {}).filter((k) => rest[k] !== undefined).map((k) => [k, stringValue(rest[k])]));
  const now = createdAt ?? new Date().toISOString();
  return {
    ...(isSysId(sys_id) ? { id: sys_id } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    fields: table.readOnly ? values : insertedFields(table, { ...values, ...generated }, now, numbering, 'admin'),
  };
}

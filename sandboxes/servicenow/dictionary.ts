/**
 * The tables this sandbox holds, as an instance's System Dictionary would describe them: a
 * documented subset of incident and sys_user, one custom table (u_asset: custom tables are named
 * u_* in the global scope, x_<vendor>_<app>_* in scoped apps), and the Audit Deleted Records table.
 * Field values travel as strings, as the Table API answers them (sysparm_display_value=false).
 */
export interface TableDefinition {
  name: string;
  label: string;
  /** Fields a client may write, with their labels (Data Policy messages name labels, not names). */
  fields: Record<string, string>;
  /** Reference fields (sys_ids of other records): shown as { link, value } unless sysparm_exclude_reference_link=true. */
  references?: string[];
  /** Mandatory by Data Policy (a UI/Data Policy an instance admin configures; enforced on REST inserts and updates). */
  mandatory?: string[];
  /** Fields set by the instance on insert and never written by a client, besides the sys_ stamps. */
  generated?: Record<string, string>;
  /** Deletes are recorded in sys_audit_delete (false: no_audit_delete). */
  auditDeletes: boolean;
  /** Read-only through the Table API for this sandbox's user (ACL). */
  readOnly?: boolean;
}

export const INCIDENT = 'incident';
export const SYS_USER = 'sys_user';
export const CUSTOM_TABLE = 'u_asset';
export const AUDIT_DELETE = 'sys_audit_delete';

/** Stamps every Table API record carries (the sys_ fields of the Base Table). */
export const SYSTEM_STAMPS = ['sys_id', 'sys_created_on', 'sys_created_by', 'sys_updated_on', 'sys_updated_by', 'sys_mod_count'];

export const tables: TableDefinition[] = [
  {
    name: INCIDENT,
    label: 'Incident',
    fields: {
      short_description: 'Short description', description: 'Description', caller_id: 'Caller', category: 'Category', subcategory: 'Subcategory',
      impact: 'Impact', urgency: 'Urgency', state: 'State', assignment_group: 'Assignment group', assigned_to: 'Assigned to',
      correlation_id: 'Correlation ID', correlation_display: 'Correlation display', contact_type: 'Channel', close_code: 'Resolution code',
      close_notes: 'Resolution notes',
    },
    references: ['caller_id', 'assignment_group', 'assigned_to'],
    mandatory: ['short_description'],
    generated: { number: 'Number', priority: 'Priority', active: 'Active', opened_at: 'Opened' },
    auditDeletes: true,
  },
  {
    name: SYS_USER,
    label: 'User',
    fields: {
      user_name: 'User ID', first_name: 'First name', last_name: 'Last name', email: 'Email', title: 'Title', phone: 'Business phone',
      mobile_phone: 'Mobile phone', department: 'Department', active: 'Active', employee_number: 'Employee number', time_zone: 'Time zone',
    },
    references: ['department'],
    mandatory: ['user_name'],
    auditDeletes: true,
  },
  {
    name: CUSTOM_TABLE,
    label: 'Asset',
    fields: { u_name: 'Name', u_serial: 'Serial', u_owner: 'Owner', u_cost: 'Cost' },
    references: ['u_owner'],
    auditDeletes: true,
  },
  {
    name: AUDIT_DELETE,
    label: 'Audit Deleted Record',
    fields: {},
    generated: { tablename: 'Table name', documentkey: 'Document key', display_value: 'Display value', payload: 'Payload' },
    auditDeletes: false,
    readOnly: true,
  },
];

export function findTable(name: string): TableDefinition | undefined {
  return tables.find((t) => t.name === name);
}

/**
 * Incident priority from impact and urgency (the default Priority Lookup Rules: 1+1 -> 1 Critical,
 * ... 3+3 -> 5 Planning): priority is calculated, never written by a client.
 */
export function incidentPriority(impact: string, urgency: string): string {
  const i = Number(impact) || 3;
  const u = Number(urgency) || 3;
  return String(Math.min(5, Math.max(1, i + u - 1)));
}

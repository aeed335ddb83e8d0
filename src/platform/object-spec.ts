import type { WriteOperation } from './records';

/** How a source finds what changed since last time. */
export type CursorKind = 'timestamp' | 'event-id' | 'delta-link' | 'sequence';

export interface FieldSpec {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'datetime' | 'json';
  /** Set by the system (ids, timestamps): never written, never compared in verify. */
  readOnly?: boolean;
  /**
   * Set on create and never changed afterwards (Stripe price amounts, a message's thread): a load
   * that would change it on an existing record is refused, since no rollback could put it back.
   */
  createOnly?: boolean;
  required?: boolean;
  /**
   * How the system matches values of this field when it is a natural key: 'exact' (ids), or
   * 'case-insensitive' (emails, domains, external ids in most systems). Default 'exact'.
   */
  keyMatch?: 'exact' | 'case-insensitive';
}

export interface ObjectSpec {
  name: string;
  /** Fields that can identify a record; the first is the system's own id. */
  naturalKeys: string[];
  fields: FieldSpec[];
  operations: WriteOperation[];
  /** Records per write call, from the system's documentation. */
  batchSize: number;
  cursor: CursorKind;
  /**
   * Fields the system adds to what it returns that are neither written nor compared (audit stamps,
   * `attributes`): read-only like FieldSpec.readOnly, for names that are not in `fields`.
   */
  systemFields?: string[];
  /**
   * The field carrying the record's version token, when updates must name the version they change
   * (QuickBooks SyncToken, Dataverse @odata.etag): see kit/version-token.ts.
   */
  versionField?: string;
  /** Free-form facts a user must know (e.g. Stripe prices are immutable). */
  notes?: string;
  /** True when the object has no fixed field list (custom objects described at run time). */
  dynamicFields?: boolean;
}

/** Names never sent in a write and never compared: read-only fields and the system's own. */
export function readOnlyFieldNames(spec: ObjectSpec): Set<string> {
  return new Set([...spec.fields.filter((f) => f.readOnly).map((f) => f.name), ...(spec.systemFields ?? [])]);
}

import { z } from 'zod';
import type { HttpClient } from '../platform/http';

/**
 * The connector contract (DESIGN.md "Connector contract"): every system is described as data
 * (ObjectSpec) plus one destination and one source implementation. Workflows never see this file's
 * implementations; activities call them.
 */

/** A record: a flat JSON object of the system's own field names (nested where the system nests). */
export type Rec = Record<string, unknown>;
/** The value of a record's natural key, as a string (ids, emails, external ids). */
export type Key = string;

export const writeOperations = ['create', 'update', 'upsert', 'delete'] as const;
export type WriteOperation = (typeof writeOperations)[number];

/** How a source finds what changed since last time. */
export type CursorKind = 'timestamp' | 'event-id' | 'delta-link' | 'sequence';

export interface FieldSpec {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'datetime' | 'json';
  /** Set by the system (ids, timestamps): never written, never compared in verify. */
  readOnly?: boolean;
  required?: boolean;
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
  /** Free-form facts a user must know (e.g. Stripe prices are immutable). */
  notes?: string;
  /** True when the object has no fixed field list (custom objects described at run time). */
  dynamicFields?: boolean;
}

export type RecordOutcome = 'created' | 'updated' | 'deleted' | 'unchanged' | 'failed';

export interface FieldError {
  field: string;
  message: string;
}

/** What a write or delete did to one record, in the order of the input. */
export interface RecordResult {
  /** Index of the record in the batch handed to write/delete. */
  index: number;
  key: Key;
  /** The system's id of the record, when it has one (new ids of created records). */
  id?: string;
  outcome: RecordOutcome;
  errors?: FieldError[];
}

export interface ChangeEvent {
  object: string;
  recordId: string;
  op: 'upsert' | 'delete';
  /** When the change happened in the system (ISO 8601). */
  occurredAt: string;
  /** A version that orders changes of one record (modstamp, event id...): the dedup key. */
  version: string;
  data: Rec | null;
}

export interface CapturePage {
  changes: ChangeEvent[];
  /** Opaque to the platform; stored as JSON and handed back next poll. */
  cursor: unknown;
  hasMore: boolean;
}

export interface WriteOptions {
  idempotencyKeys?: string[];
}

export interface DestinationContract {
  /**
   * Current state by key; null for a record that does not exist (or is archived). Used by snapshot,
   * verify and rollback. `fields` names what must be in each record (systems that return only
   * default fields are asked for these); the object's id field is always included.
   */
  read(object: string, keyField: string, keys: Key[], fields?: string[]): Promise<Map<Key, Rec | null>>;
  /**
   * Create, update or upsert a batch (at most the object's batchSize). `options.idempotencyKeys`
   * (aligned with `records`) are stable per load, record and step: systems that take an
   * idempotency key (Stripe) send them, so a retried call never writes twice.
   */
  write(object: string, op: Exclude<WriteOperation, 'delete'>, keyField: string, records: Rec[], options?: WriteOptions): Promise<RecordResult[]>;
  /** Delete by key, confirmed by a read that no longer finds the record. */
  delete(object: string, keyField: string, keys: Key[], options?: WriteOptions): Promise<RecordResult[]>;
  /**
   * Bring back a deleted record: the native restore where the system has one, else a re-create.
   * Returns the record's id afterwards (a new one when re-created).
   */
  restore(object: string, keyField: string, before: Rec, options?: { idempotencyKey?: string }): Promise<{ id: string; recreated: boolean }>;
}

export interface SourceContract {
  capture(object: string, cursor: unknown | null): Promise<CapturePage>;
}

export interface ConnectorContext {
  tenantId: string;
  connectionId: string;
  config: Record<string, unknown>;
  /** An HTTP client already bound to the connection's base URL and auth scheme. */
  http: HttpClient;
  /** Reads the connection's credentials from the store, now (never cached across tenants). */
  credentials(): Promise<Record<string, unknown>>;
  /** Saves updated credentials (a rotated refresh token) back to the store. */
  saveCredentials(updated: Record<string, unknown>): Promise<void>;
}

export type AuthScheme = 'oauth2-refresh-token' | 'oauth2-client-credentials' | 'api-key' | 'basic' | 'oauth1' | 'session';

export interface AuthSpec {
  scheme: AuthScheme;
  credentials: z.ZodType<Record<string, unknown>>;
}

export interface ConnectorDefinition {
  id: string;
  displayName: string;
  auth: AuthSpec;
  config: z.ZodType<Record<string, unknown>>;
  objects: ObjectSpec[];
  /**
   * Objects the system lets each account define (Salesforce custom objects, Foo__c): the spec for a
   * name not in `objects`, or undefined. Such specs have dynamicFields: their fields are described
   * at run time.
   */
  customObject?(name: string): ObjectSpec | undefined;
  /** Builds the HTTP client for a connection (base URL from config, auth plug-in from credentials). */
  http(ctx: Omit<ConnectorContext, 'http'>): HttpClient;
  destination(ctx: ConnectorContext): DestinationContract;
  source(ctx: ConnectorContext): SourceContract;
  /** Checks the credentials against the system (POST /v1/connections/:id/test). */
  check(ctx: ConnectorContext): Promise<void>;
}

export function objectSpec(def: ConnectorDefinition, object: string): ObjectSpec | undefined {
  return def.objects.find((o) => o.name === object) ?? def.customObject?.(object);
}

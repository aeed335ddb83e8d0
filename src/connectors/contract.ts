import { z } from 'zod';
import type { HttpClient } from '../platform/http';
import type { CostLimit, RateLimit } from '../platform/rate-budget/limits';
import type { ObjectSpec } from '../platform/object-spec';
import type { ChangeEvent, Key, Rec, RecordResult, WriteOperation } from '../platform/records';

/**
 * The connector contract (DESIGN.md "Connector contract"): every system is described as data
 * (ObjectSpec) plus one destination and one source implementation. Workflows never see this file's
 * implementations; activities call them.
 */

export { writeOperations } from '../platform/records';
export type { ChangeEvent, FieldError, Key, Rec, RecordOutcome, RecordResult, WriteOperation } from '../platform/records';
export { readOnlyFieldNames } from '../platform/object-spec';
export type { CursorKind, FieldSpec, ObjectSpec } from '../platform/object-spec';

export interface CapturePage {
  changes: ChangeEvent[];
  /** Opaque to the platform; stored as JSON and handed back next poll. */
  cursor: unknown;
  hasMore: boolean;
}

/**
 * Where the records sought by `read` were written, when the caller knows it (the bridge knows when
 * it reserved a copy and in which thread it went): a destination that would otherwise search the
 * whole object for a non-unique key (Slack's forge_origin) searches there only.
 */
export interface ReadOptions {
  near?: {
    /** ISO 8601: the records were written within [from, to]. */
    from: string;
    to: string;
    /** The id of the thread they were written in, if any (a Slack thread_ts). */
    thread?: string;
  };
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
  read(object: string, keyField: string, keys: Key[], fields?: string[], options?: ReadOptions): Promise<Map<Key, Rec | null>>;
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
  /**
   * Reports progress of long work inside one call (an asynchronous job being polled): the activity
   * heartbeats it to Temporal, so a worker that dies mid-job is noticed and the job is not lost.
   * Absent outside activities.
   */
  heartbeat?(progress: unknown): void;
  /**
   * What a source without a change feed captured last (Google Sheets diffs a sheet against it),
   * kept in Postgres. Absent outside the worker's activities.
   */
  captureState?: CaptureStateStore;
}

/**
 * Record key -> fingerprint of the last captured state, by generation: a poll loads the generation
 * its cursor names and saves the next one, which becomes real only when the cursor naming it is
 * committed with the page (a poll that never committed leaves a generation no cursor names).
 */
export interface CaptureStateStore {
  load(object: string, generation: number): Promise<Map<string, string>>;
  save(object: string, generation: number, state: Map<string, string>): Promise<void>;
}

export type AuthScheme = 'oauth2-refresh-token' | 'oauth2-client-credentials' | 'api-key' | 'basic' | 'oauth1' | 'session';

export interface AuthSpec {
  scheme: AuthScheme;
  credentials: z.ZodType<Record<string, unknown>>;
}

/** What a code grant's token endpoint answered, with what the flow knows besides (AuthorizationCodeSpec.connection). */
export interface GrantedTokens<C> {
  /** The token response body (Salesforce's instance_url and id, Shopify's scope...). */
  body: Record<string, unknown>;
  refreshToken?: string;
  /** The OAuth app the connection was authorised for. */
  client: { clientId: string; clientSecret: string };
  /** The callback parameters the spec keeps (callbackParams). */
  callback: Record<string, string>;
  /** The redirect URI the code was issued for (FreshBooks wants it again on refresh grants). */
  redirectUri: string;
  config: C;
}

/**
 * How a user connects the system by consent (OAuth 2.0 authorization-code grant, RFC 6749 §4.1):
 * the gateway's one connect flow (src/gateway/connect) reads this. C is the config a session starts
 * from, already parsed (by sessionConfig, else the connector's config schema).
 */
export interface AuthorizationCodeSpec<C = Record<string, unknown>> {
  /** The provider's consent page for this config (Salesforce's login host, Shopify's shop). */
  authorizeUrl(config: C): string;
  /** The token endpoint the code is exchanged at, from the config and the kept callback parameters. */
  tokenUrl(config: C, callback: Record<string, string>): string;
  /** The scopes the connector needs (docs/connect/<system>.md says why). */
  scopes: string[];
  /** How scopes are joined in the authorization URL: ' ' (RFC 6749 §3.3) unless the provider wants ','. */
  scopeSeparator?: ' ' | ',';
  /** Whether the provider takes PKCE (RFC 7636, S256): the verifier never leaves the platform. */
  pkce: boolean;
  /** How the client authenticates at the token endpoint: 'body' (default) or 'basic' (Intuit). */
  clientAuthentication?: 'body' | 'basic';
  /** Further fixed parameters of the authorization URL (Google's access_type=offline). */
  authorizeParams?: Record<string, string>;
  /** Callback query parameters the flow needs and keeps (Intuit's realmId): a callback without one fails. */
  callbackParams?: string[];
  /**
   * The config a session starts from when part of the connection's config only comes with the
   * callback (Intuit's realmId): the config schema less those fields. Default: the config schema.
   */
  sessionConfig?: z.ZodType<Record<string, unknown>>;
  /**
   * Refuses a callback whose parameters do not prove they came from the provider (Shopify signs
   * them with the app's secret): the problem, or null when they do.
   */
  verifyCallback?(query: URLSearchParams, client: { clientId: string; clientSecret: string }, config: C): string | null;
  /**
   * The connection's credentials and whole config from the token answer (checked by the
   * connector's schemas when the connection is created). Default: { clientId, clientSecret,
   * refreshToken } and the config unchanged (a missing refresh token fails). Throws a
   * ConnectorError to refuse the answer (an instance_url the egress rules refuse).
   */
  connection?(granted: GrantedTokens<C>): { credentials: Record<string, unknown>; config: Record<string, unknown> };
}

/**
 * How a connection's own posts are recognised in records it reads back: record field -> the values
 * that name this connection's identity (Slack bot_id / user of the bot, Graph from.application.id).
 * A record whose field holds one of them was written by this connection.
 */
export type OwnIdentity = Record<string, string[]>;

export interface ConnectorDefinition {
  id: string;
  displayName: string;
  /**
   * The vendor API version the connector is pinned to (a path segment, a version header, a minor
   * version parameter): what its sandbox answers in and what GET /v1/connectors shows.
   */
  apiVersion: string;
  auth: AuthSpec;
  /** Present when users connect the system by consent (POST /v1/connect/sessions). */
  authorization?: AuthorizationCodeSpec;
  config: z.ZodType<Record<string, unknown>>;
  objects: ObjectSpec[];
  /**
   * Objects the system lets each account define (Salesforce custom objects, Foo__c): the spec for a
   * name not in `objects`, or undefined. Such specs have dynamicFields: their fields are described
   * at run time.
   */
  customObject?(name: string): ObjectSpec | undefined;
  /**
   * The system's documented request limits (a burst window, a daily allowance): every request of a
   * connection draws on a budget built from them, shared by all workers (src/platform/rate-budget).
   * A connection may declare its own (an account tier): ConnectionIdentity.rateLimits.
   */
  rateLimits?: RateLimit[];
  /**
   * The documented limits when they depend on the connection's config (Slack: how the app is
   * distributed): when given, they replace `rateLimits`.
   */
  rateLimitsFor?(config: Record<string, unknown>): RateLimit[];
  /**
   * A bucket of points charged per request by its calculated cost (Shopify's GraphQL Admin API):
   * each request draws its HttpRequest.cost from the connection's budget, and the reader the limit
   * declares corrects the budget from every answer's body.
   */
  costLimit?: CostLimit;
  /**
   * Undoing one record never moves another (records are addressed by stable ids, not by position as
   * a spreadsheet's rows are), so a load's segments may be rolled back side by side when no two of
   * its records name the same record. Absent: one segment at a time, newest first.
   */
  independentRollback?: boolean;
  /** Builds the HTTP client for a connection (base URL from config, auth plug-in from credentials). */
  http(ctx: Omit<ConnectorContext, 'http'>): HttpClient;
  destination(ctx: ConnectorContext): DestinationContract;
  source(ctx: ConnectorContext): SourceContract;
  /** Checks the credentials against the system (POST /v1/connections/:id/test). */
  check(ctx: ConnectorContext): Promise<void>;
  /** The identity the system records on what this connection writes (systems that record one). */
  ownIdentity?(ctx: ConnectorContext): Promise<OwnIdentity>;
}

export function objectSpec(def: ConnectorDefinition, object: string): ObjectSpec | undefined {
  return def.objects.find((o) => o.name === object) ?? def.customObject?.(object);
}

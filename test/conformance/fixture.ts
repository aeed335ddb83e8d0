/**
 * What each system brings to the conformance suite (test/conformance/fixtures/<id>.ts): one small
 * description of an object and its records, written in the system's own field names. Everything
 * else — the scenarios, the load and capture plumbing, the assertions — is shared (runner/).
 */
export type Rec = Record<string, unknown>;
export type WriteOperation = 'create' | 'update' | 'upsert' | 'delete';

/** The whole state of a sandbox, as GET /__sandbox/state answers. */
export interface SandboxState {
  objects: Record<string, Array<Record<string, unknown>>>;
}

/** The scenarios of the table (runner/scenarios.ts), by id. */
export const scenarioIds = [
  'round-trip:create', 'round-trip:update', 'round-trip:upsert', 'round-trip:delete',
  'verify-under-stale-read', 'lying-delete', 'restore-after-delete', 'rollback-exact',
  'cancel-midway', 'auth-401-once', 'auth-401-midway', 'rate-limit-429', 'validation-names-field', 'invalid-rolls-back', 'dry-run',
  'capture-across-restart', 'capture-pause-resume', 'capture-401-pauses', 'canary-secrets', 'spec-conformance',
  'nested-rollback-exact',
] as const;
export type ScenarioId = (typeof scenarioIds)[number];

export interface ObjectFixture {
  /** The object as loads name it ('contacts', 'messages:C0CONF0001'). */
  object: string;
  /** The field records are keyed by in loads (not the system's own id: the caller's key). */
  naturalKey: string;
  /**
   * The i-th sample record (i = 0, 1, ...), with its natural key; none is present in a fresh
   * sandbox. Values are as the system stores them (lower-case emails for HubSpot), so a read back
   * compares equal. Scenarios use a few; cancel and 401-midway use several chunks' worth.
   */
  record(i: number): Rec;
  /** Fields an update/upsert changes on every sample (values as stored). */
  patch: Rec;
  /**
   * For objects with nested values (an address, a metadata map, a sub-object the API nests): a
   * patch that reaches into them, by dotted path as the connector reads them, including parts the
   * samples do not have yet. An update with it must verify, and its rollback must put back exactly
   * what was there (keys the load added removed, the rest untouched).
   */
  nestedPatch?: Rec;
  /** One record the system itself refuses (its own 400/422 or error body), and the field it names. */
  invalid: { record: Rec; field: string };
  /** The admin seed body (`objects`) that puts these records in the sandbox, as if written earlier. */
  seed(records: Rec[]): Record<string, unknown[]>;
  /**
   * The object's live records in a sandbox state, by natural key, in the connector's field names
   * (what a read through the system's API would show; deleted/archived records left out), each
   * with the system's own id under the ObjectSpec's id field (its first natural key).
   */
  live(state: SandboxState): Map<string, Rec>;
  /**
   * The API request a create load writes with (path as a fault pattern: exact, prefix*, or ^regex):
   * the 401-midway and cancel scenarios slow or refuse these requests and nothing else.
   */
  createRequest: { method: string; path: string; /** For one endpoint carrying every call (GraphQL): a regex the create's body matches. */ bodyMatches?: string };
  /** Set (to why) when the system undoes a create through that same request (QuickBooks' batch): a 401 there blocks the rollback too. */
  undoesThroughCreateRequest?: string;
  /**
   * The field of a live record (see live()) that the Stream's recordId carries. Default: the
   * ObjectSpec's first natural key.
   */
  streamId?: string;
  /** Operations the connector's ObjectSpec does not offer, and why the system cannot do them. */
  cannot: Partial<Record<WriteOperation, string>>;
  /** What a rolled-back delete does to the system's own id: restore-after-delete checks it. */
  deleteRollback?: DeleteRollback;
}

/**
 * How a system brings back a record a rolled-back delete removed. restore-after-delete always checks
 * that each record is back with its fields; with this it also checks the system's id, and what else
 * the system is declared to do. Declared on the primary object or on any of `others`.
 */
export interface DeleteRollback {
  /** The field of a live record (see live()) holding the system's own id. */
  idField: string;
  /**
   * 'kept': back under its old id (an undelete, or an insert that takes the id). 'new': the system
   * numbers the re-created record: none of the ids is one the records had, and each load record
   * holds the new id, with a rollback note saying it was re-created under it.
   */
  id: 'kept' | 'new';
  why: string;
  /** With id 'new': the live record's field holding the id the load records, where that is not idField (JIRA: the issue id; idField is its key). */
  recordedIdField?: string;
  /** The ids the system's own audit of deletes recorded (an audit table in the state), when it keeps one. */
  auditedDeletes?(state: SandboxState): string[];
  /** The request that re-creates one record: a restore is exactly one of these a record. */
  restoreRequest?: { method: string; path: string | RegExp };
  /**
   * True when every column comes back as it was, read-only ones included, not only the fields the
   * load had written; all but the stamps the system moves on every write (exactState.ignoreFields).
   */
  everyField?: true;
}

export interface ExactStateRules {
  /** Objects of the state left out of the comparison, with why (the API's own logs, ...). */
  ignoreObjects?: Record<string, string>;
  /**
   * Fields no rollback can put back, with why: stamps the system moves on every write. Dotted
   * paths reach into nested values ('properties.lastmodifieddate').
   */
  ignoreFields: Record<string, string>;
  /** Records that are gone for the API although the sandbox keeps them (recycle bin, deleted stubs). */
  isGone(object: string, record: Record<string, unknown>): boolean;
}

export interface ConformanceFixture {
  /** The connector id, as in src/connectors/registry.ts. */
  connector: string;
  /**
   * A second way of running the same connector (a connection setting such as Salesforce's
   * changeDataCapture): named in the suite's title, and running only `scenarios` of the table.
   */
  variant?: { name: string; scenarios: ScenarioId[] };
  /** Settings merged into the sandbox's connection config (e.g. a shorter delete reconciliation for capture). */
  config?: Record<string, unknown>;
  /** Runs on every fresh scenario sandbox before anything else (channels a message object lives in). */
  prepare?(admin: SandboxAdmin): Promise<void>;
  /** The object every scenario uses. */
  primary: ObjectFixture;
  /** Further objects: each gets the round trips of the operations it supports. */
  others?: ObjectFixture[];
  /**
   * Objects of the connector's ObjectSpecs that no fixture covers, with why. Every static object
   * of the connector is either covered (primary/others) or named here.
   */
  uncovered?: Record<string, string>;
  /** How "the sandbox is exactly as before" is judged (rollback-exact, cancel, 401 midway). */
  exactState: ExactStateRules;
  /** Capture of the primary object. */
  capture: {
    /** True when the system reports deletes (tombstones, delete events); a string says why not. */
    tombstones: true | string;
    /** Runs on the capture scenario's sandbox first (a sandbox clock behind, for settle margins). */
    prepare?(admin: SandboxAdmin): Promise<void>;
  };
  /** Credential fields whose values are secrets (canaries: they must appear nowhere outside the store). */
  secretFields: string[];
  /**
   * What this system does that the table does not ask of every system (batch sizes, idempotency
   * keys, native undelete, thread replies...): quirks/<id>.ts, run beside the table.
   */
  quirks?: Quirk[];
  /**
   * Scenarios that fail today because of a connector bug: each runs and must fail (jest's
   * test.failing), so a fix is noticed. The reason names the bug.
   */
  knownFailures?: Partial<Record<ScenarioId, string>>;
}

/** The sandbox admin API (DESIGN.md "Sandboxes"), for fixtures. */
export interface SandboxAdmin {
  url: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

/**
 * A test of one system's own behaviour, run with the table (same gateway, worker and tenant; a
 * sandbox of its own). The context is the table's (runner/load-scenarios.ts ScenarioContext).
 */
export interface Quirk {
  name: string;
  /** 'capture' quirks run after the load scenarios and may take part in the shared worker restart. */
  phase: 'loads' | 'capture';
  run(ctx: import('./runner/load-scenarios').ScenarioContext): Promise<void>;
  /** Set when it fails today because of a bug, with the bug: it runs as test.failing. */
  knownFailure?: string;
}

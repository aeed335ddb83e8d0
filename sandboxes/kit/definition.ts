import type { CatalogDifferences, CatalogObject } from './catalog';
import type { SpecSource } from './spec-check/types';
import type { SandboxClock } from './clock';
import type { AuthScheme } from './auth/auth-scheme';
import type { IdGenerator, NewRecord, StoredRecord } from './record-store';
import type { ErrorReplies, RateLimitPolicy, Route } from './types';

/**
 * Everything a system's sandbox supplies; the kit does the rest (HTTP, admin API, faults, auth
 * checks, rate limiting, clock, request log). See sandboxes/hubspot/index.ts for a full example.
 */
export interface SandboxDefinition {
  /** The system id, as in the connector registry ('hubspot'). */
  system: string;
  /** The objects its state holds ('contacts', 'companies', ...). */
  objects: string[];
  /**
   * The objects and their fields, as the API names them (catalog.ts): checked against the
   * connector's ObjectSpecs by test/sandboxes/catalog-check.test.ts. Every system sandbox has one.
   */
  catalog?: CatalogObject[];
  /** Where the catalog and the connector's ObjectSpecs differ on purpose, with the reasons. */
  catalogDifferences?: CatalogDifferences;
  /**
   * The vendor's published API description under ../shared/specs/, where one exists: tests hold
   * the sandbox's requests and responses against it (spec-check/).
   */
  spec?: SpecSource;
  /**
   * For GraphQL systems, whose published description is an introspection result (not a format
   * spec-check/ reads): the file under ../shared/specs/<dir>/. The sandbox validates every document
   * against it and executes with it (introspectionSchema), so its answers are the schema's shapes.
   */
  graphqlSchema?: { dir: string; file: string };
  /** Built once per sandbox with the sandbox clock: oauth2RefreshToken(...), staticToken(...), ... */
  auth: (clock: SandboxClock) => AuthScheme;
  /** The system's API. Auth-scheme routes (token endpoints) are added by the kit. */
  routes: Route[];
  /** The system's own error bodies for what the kit refuses (401, 429, 404, malformed body, faults). */
  errors: ErrorReplies;
  /** The documented rate limit, enforced only when the sandbox is started with enforceRateLimit. */
  rateLimit?: RateLimitPolicy;
  /** Record ids: the system's own format (default: "1", "2", ...). */
  newId?: IdGenerator;
  /** The first sequence number handed to newId. Default 1. */
  firstSequence?: number;
  /** A record as GET /__sandbox/state and POST /__sandbox/seed show it (default: the stored record). */
  presentRecord?(object: string, record: StoredRecord): unknown;
  /**
   * A record given to POST /__sandbox/seed, as the store keeps it. Default: `id`, `createdAt`,
   * `updatedAt`, `archived` are taken as such and every other key is a field. Throw to refuse.
   */
  seedRecord?(object: string, input: Record<string, unknown>): NewRecord;
  /** The connector's non-secret config for this sandbox. Default { baseUrl }. */
  config?(baseUrl: string): Record<string, unknown>;
  /**
   * For a sandbox whose records live in a real engine instead of the kit's RecordStore (Snowflake's
   * SQL on Postgres): opened when the sandbox starts listening, closed at stop, and the admin API's
   * state, seed and reset go through it.
   */
  externalStore?: ExternalStore;
}

/** Records kept outside the RecordStore (SandboxDefinition.externalStore). */
export interface ExternalStore {
  /** Creates what the store needs (a schema of its own) with the sandbox's start options. */
  open(options: SandboxOptions): Promise<void>;
  /** Drops what open created. */
  close(): Promise<void>;
  /** Every object's records, as GET /__sandbox/state shows them. */
  state(): Promise<Record<string, unknown[]>>;
  /** Stores the seeded records and answers them as stored; throws ReplyError to refuse. */
  seed(objects: Record<string, Array<Record<string, unknown>>>): Promise<Record<string, unknown[]>>;
  /** Back to the empty state. */
  reset(): Promise<void>;
}

export interface SandboxOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Loopback only. Default 127.0.0.1. */
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** Answer the system's 429 when its documented rate limit is exceeded. Default false. */
  enforceRateLimit?: boolean;
  /** Keep every API request and answer in full (Sandbox.exchanges()), for checks against the vendor's description. Default false. */
  recordExchanges?: boolean;
  /** Overrides parts of the definition's rate-limit policy (tests use a small limit). */
  rateLimit?: Partial<Pick<RateLimitPolicy, 'limit' | 'windowMs'>>;
  /**
   * A Postgres the sandbox may keep its records in (externalStore: a schema of its own, dropped at
   * stop). The test stack and `npm run dev -- --sandboxes` pass theirs; default DATABASE_URL.
   */
  databaseUrl?: string;
}

export function defaultSeedRecord(_object: string, input: Record<string, unknown>): NewRecord {
  const { id, createdAt, updatedAt, archived, archivedAt, ...fields } = input;
  return {
    ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : {}),
    ...(typeof createdAt === 'string' ? { createdAt } : {}),
    ...(typeof updatedAt === 'string' ? { updatedAt } : {}),
    ...(typeof archived === 'boolean' ? { archived } : {}),
    ...(typeof archivedAt === 'string' ? { archivedAt } : {}),
    fields,
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';

/**
 * The scrubber (DESIGN.md "Security"): secrets are removed from what leaves the process (logs, error
 * messages, Temporal failures, dead-letters, API answers) per connection, never process-wide.
 *
 * - A scope (`withScrubber`) is one activity execution or one gateway request; it holds a Scrubber
 *   with the secrets of the connection(s) it works for. Nothing is shared between scopes, so a
 *   tenant's credentials can only ever affect the scrubbing of its own connection's output.
 * - Only secret fields of the auth schema are registered (`secretField()` marks them; a schema that
 *   marks none falls back to field names that say secret/token/password/key), and only values of
 *   at least MIN_SECRET_LENGTH characters, so "null" or "system" never become secrets.
 * - Structured values are scrubbed leaf by leaf (never serialised, regex-replaced and re-parsed),
 *   and no function here throws: a value that cannot be walked becomes a placeholder.
 * - Credential-shaped text (Authorization headers, bearer tokens, password=...) is scrubbed
 *   everywhere, and the process's own infrastructure secrets (the Vault token) too.
 */

export const MIN_SECRET_LENGTH = 8;
/** More secrets than this in one scope are ignored (a connection has a handful). */
const MAX_SECRETS_PER_SCOPE = 512;
const MAX_DEPTH = 64;
const REDACTED = '[redacted]';

const SHAPES: Array<[RegExp, string]> = [
  [/(authorization["']?\s*[:=]\s*["']?)(?:bearer|basic|oauth)?\s*[^"',\s}]+(?:[^"'\n,}]*)/gi, `$1${REDACTED}`],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, `Bearer ${REDACTED}`],
  [/((?:password|passwd|api[_-]?key|apikey|client[_-]?secret|refresh[_-]?token|access[_-]?token|secret[_-]?key|token[_-]?secret|consumer[_-]?secret)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi, `$1${REDACTED}`],
  [/\b(sk|rk)_(live|test)_[A-Za-z0-9]{8,}/g, REDACTED],
];

/** The secrets of one scope, with the forms they travel in (URL-encoded, JSON-escaped, base64). */
export class Scrubber {
  private readonly secrets = new Set<string>();
  /** Values already added: a cached token is registered again with every request it signs. */
  private readonly added = new Set<string>();
  private ordered: string[] | null = null;

  add(value: unknown): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || this.secrets.size >= MAX_SECRETS_PER_SCOPE) return;
    if (this.added.has(value)) return;
    this.added.add(value);
    for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64')]) {
      if (form.length >= MIN_SECRET_LENGTH && !this.secrets.has(form)) {
        this.secrets.add(form);
        this.ordered = null;
      }
    }
  }

  get size(): number {
    return this.secrets.size;
  }

  /** Replaces every known secret by plain substring search (no patterns built from secrets). */
  replaceIn(text: string): string {
    if (this.secrets.size === 0) return text;
    this.ordered ??= [...this.secrets].sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of this.ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }
}

const scopes = new AsyncLocalStorage<Scrubber>();
/** Secrets the process itself was configured with (the Vault token): never a tenant's values. */
const processSecrets = new Scrubber();

/** Runs fn in a scope of its own: secrets registered inside are scrubbed inside only. */
export function withScrubber<T>(fn: () => T, scrubber: Scrubber = new Scrubber()): T {
  return scopes.run(scrubber, fn);
}

export function currentScrubber(): Scrubber | undefined {
  return scopes.getStore();
}

/** Registers a secret of the current scope's connection (ignored outside a scope and below 8 characters). */
export function registerSecret(value: unknown): void {
  scopes.getStore()?.add(value);
}

/** Registers an infrastructure secret of this process (scrubbed in every scope). */
export function registerProcessSecret(value: unknown): void {
  processSecrets.add(value);
}

// -----------------------------------------------------------------------------------------------
// Which fields of an auth schema hold secrets

const secretFields = z.registry<{ secret: true }>();

/** Marks a field of an auth schema as secret: `clientSecret: secretField(z.string().min(1))`. */
export function secretField<T extends z.ZodType>(schema: T): T {
  secretFields.add(schema, { secret: true });
  return schema;
}

const SECRET_NAME = /secret|token|password|passwd|api_?key|private|credential/i;

/** The names of the schema's secret fields: those marked with secretField(), else by name. */
export function secretFieldNames(schema: z.ZodType | undefined, value: Record<string, unknown>): string[] {
  const shape = (schema as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  if (shape && typeof shape === 'object') {
    const marked = Object.keys(shape).filter((name) => secretFields.has(shape[name]));
    if (marked.length > 0) return marked;
    return Object.keys(shape).filter((name) => SECRET_NAME.test(name));
  }
  return Object.keys(value).filter((name) => SECRET_NAME.test(name));
}

/** Registers the secret fields (per the auth schema) of a connection's credentials in the current scope. */
export function registerSecretFields(schema: z.ZodType | undefined, credentials: unknown): void {
  if (!credentials || typeof credentials !== 'object' || Array.isArray(credentials)) return;
  const record = credentials as Record<string, unknown>;
  try {
    for (const name of secretFieldNames(schema, record)) registerSecret(record[name]);
  } catch {
    // a schema we cannot read registers nothing more; scrubbing itself must never fail a caller
  }
}

// -----------------------------------------------------------------------------------------------
// Scrubbing

/** Scrubs text: the scope's secrets, the process's secrets, credential-shaped patterns. Never throws. */
export function redact(text: string): string {
  if (typeof text !== 'string' || text === '') return text;
  try {
    let out = scopes.getStore()?.replaceIn(text) ?? text;
    out = processSecrets.replaceIn(out);
    for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
    return out;
  } catch {
    return REDACTED;
  }
}

/**
 * Scrubs a structured value leaf by leaf (keys too) into a plain JSON-able copy: cycles become
 * '[circular]', nesting beyond 64 levels '[too deep]', what cannot be read '[unreadable]'. Never throws.
 */
export function redactValue<T>(value: T): T {
  try {
    return walk(value, 0, new WeakSet()) as T;
  } catch {
    return '[unreadable]' as unknown as T;
  }
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return '[binary]';
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, seen));
    if (value instanceof Error) return { name: redact(value.name), message: redact(value.message) };
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[redact(key)] = walk(child, depth + 1, seen);
    return out;
  } catch {
    return '[unreadable]';
  } finally {
    seen.delete(value);
  }
}

import vault from 'node-vault';
import { redact, registerProcessSecret } from './redact';
import type { Credentials, CredentialStore } from './store';

/**
 * Tenant and connection ids become path segments in Vault (and key-derivation input in Postgres):
 * letters, digits, '.', '_' and '-', starting with a letter or digit, so no '/', '..' or encoding
 * trick can reach another tenant's path.
 */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export class InvalidCredentialIdError extends Error {
  constructor(kind: 'tenant' | 'connection', value: string) {
    super(`invalid ${kind} id ${JSON.stringify(value.slice(0, 140))}: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit`);
    this.name = 'InvalidCredentialIdError';
  }
}

export function assertSafeCredentialIds(tenantId: string, connectionId: string): void {
  if (typeof tenantId !== 'string' || !SAFE_ID.test(tenantId)) throw new InvalidCredentialIdError('tenant', String(tenantId));
  if (typeof connectionId !== 'string' || !SAFE_ID.test(connectionId)) {
    throw new InvalidCredentialIdError('connection', String(connectionId));
  }
}

export interface VaultCallOptions {
  /** Gives up on this call after this many milliseconds (default: the store's timeoutMs). */
  timeoutMs?: number;
}

export interface VaultCredentialStoreOptions {
  address: string;
  token: string;
  /** KV v2 mount (dev mode mounts one at `secret`). */
  mount?: string;
  /** Folder under the mount that holds Forgeworks' entries. */
  prefix?: string;
  /** Default per-call timeout. */
  timeoutMs?: number;
}

type VaultOperation = 'read' | 'write' | 'delete';

/**
 * A Vault call that failed. Built only from the error code, HTTP status and Vault's own error text
 * (run through the redactor): never from the HTTP client's error, which carries the request body
 * (the secret) and the Vault token.
 */
export class VaultRequestError extends Error {
  constructor(readonly operation: VaultOperation, readonly tenantId: string, readonly connectionId: string,
    readonly reason: string, readonly statusCode: number | null) {
    super(`Vault ${operation} of credentials for tenant ${tenantId} connection ${connectionId} failed: ${reason}`);
    this.name = 'VaultRequestError';
  }

  get isCheckAndSetConflict(): boolean {
    return this.statusCode === 400 && /check-and-set/i.test(this.reason);
  }
}

interface HttpishError { code?: unknown; message?: unknown; response?: { statusCode?: unknown; body?: unknown } }

function describeFailure(err: unknown): { reason: string; statusCode: number | null } {
  const e = (err ?? {}) as HttpishError;
  const statusCode = typeof e.response?.statusCode === 'number' ? e.response.statusCode : null;
  if (statusCode !== null) {
    const errors = (e.response?.body as { errors?: unknown } | undefined)?.errors;
    const first = Array.isArray(errors) && typeof errors[0] === 'string' ? errors[0] : '';
    return { reason: `HTTP ${statusCode}${first ? `: ${redact(first).slice(0, 200)}` : ''}`, statusCode };
  }
  if (typeof e.code === 'string') return { reason: e.code, statusCode: null };
  return { reason: 'request failed', statusCode: null };
}

function isNotFound(err: unknown): boolean {
  return (err as HttpishError | null)?.response?.statusCode === 404;
}

class VaultTimeoutError extends Error {
  constructor(ms: number) { super(`timed out after ${ms} ms`); }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new VaultTimeoutError(ms)), ms); });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isPlainObject(value: unknown): value is Credentials {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Credentials in Vault's KV v2 engine, one entry per tenant and connection at
 * `<mount>/data/<prefix>/tenants/<tenantId>/connections/<connectionId>`.
 */
export class VaultCredentialStore implements CredentialStore {
  readonly address: string;
  private readonly client: vault.client;
  private readonly mount: string;
  private readonly prefix: string;
  private readonly defaultTimeoutMs: number;

  constructor(options: VaultCredentialStoreOptions) {
    if (!options.token) throw new Error('VaultCredentialStore needs a token');
    registerProcessSecret(options.token);
    this.address = options.address.replace(/\/+$/, '');
    // Endpoint and token are always explicit: node-vault would otherwise fall back to process.env.
    this.client = vault({ apiVersion: 'v1', endpoint: this.address, token: options.token });
    this.mount = options.mount ?? 'secret';
    this.prefix = options.prefix ?? 'forgeworks';
    this.defaultTimeoutMs = options.timeoutMs ?? 5000;
  }

  /** The KV v2 data path of one connection's entry (ids validated first). */
  dataPath(tenantId: string, connectionId: string): string {
    return `${this.mount}/data/${this.entryPath(tenantId, connectionId)}`;
  }

  async get(tenantId: string, connectionId: string, options: VaultCallOptions = {}): Promise<Credentials | null> {
    return (await this.getVersioned(tenantId, connectionId, options))?.credentials ?? null;
  }

  /** The entry with its KV v2 version (which every write bumps), or null when there is none. */
  async getVersioned(tenantId: string, connectionId: string, options: VaultCallOptions = {}):
    Promise<{ credentials: Credentials; version: number | null } | null> {
    const path = this.dataPath(tenantId, connectionId);
    let response: { data?: { data?: unknown; metadata?: { version?: unknown } } };
    try {
      response = await this.call('read', tenantId, connectionId, options, (requestOptions) => this.client.read(path, requestOptions));
    } catch (err) {
      if (err instanceof VaultRequestError && err.statusCode === 404) return null;
      throw err;
    }
    const credentials = response.data?.data;
    if (!isPlainObject(credentials)) {
      throw new VaultRequestError('read', tenantId, connectionId, 'the entry holds no credentials object', null);
    }
    const version = response.data?.metadata?.version;
    return { credentials, version: typeof version === 'number' ? version : null };
  }

  async put(tenantId: string, connectionId: string, credentials: Credentials, options: VaultCallOptions = {}): Promise<void> {
    await this.write(tenantId, connectionId, credentials, undefined, options);
  }

  /** Writes the entry and returns the KV v2 version it became (null if Vault did not say). */
  async putVersioned(tenantId: string, connectionId: string, credentials: Credentials, options: VaultCallOptions = {}): Promise<number | null> {
    return this.write(tenantId, connectionId, credentials, undefined, options);
  }

  /** Writes only when the entry does not exist (check-and-set 0); returns whether it wrote. */
  async putIfAbsent(tenantId: string, connectionId: string, credentials: Credentials, options: VaultCallOptions = {}):
    Promise<boolean> {
    try {
      await this.write(tenantId, connectionId, credentials, 0, options);
      return true;
    } catch (err) {
      if (err instanceof VaultRequestError && err.isCheckAndSetConflict) return false;
      throw err;
    }
  }

  /** Removes the entry with all its versions (deleting an absent entry succeeds). */
  async delete(tenantId: string, connectionId: string, options: VaultCallOptions = {}): Promise<void> {
    const path = `${this.mount}/metadata/${this.entryPath(tenantId, connectionId)}`;
    await this.call('delete', tenantId, connectionId, options, (requestOptions) => this.client.delete(path, requestOptions));
  }

  private async write(tenantId: string, connectionId: string, credentials: Credentials, cas: number | undefined,
    options: VaultCallOptions): Promise<number | null> {
    if (!isPlainObject(credentials)) throw new TypeError('credentials must be an object');
    const path = this.dataPath(tenantId, connectionId);
    const body = cas === undefined ? { data: credentials } : { data: credentials, options: { cas } };
    const response = await this.call<{ data?: { version?: unknown } } | undefined>('write', tenantId, connectionId, options,
      (requestOptions) => this.client.write(path, body, requestOptions));
    const version = response?.data?.version;
    return typeof version === 'number' ? version : null;
  }

  private entryPath(tenantId: string, connectionId: string): string {
    assertSafeCredentialIds(tenantId, connectionId);
    return `${this.prefix}/tenants/${tenantId}/connections/${connectionId}`;
  }

  /** Runs one request under a deadline and turns any failure into a VaultRequestError. */
  private async call<T>(operation: VaultOperation, tenantId: string, connectionId: string, options: VaultCallOptions,
    request: (requestOptions: { timeout: number }) => Promise<T>): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    try {
      // The HTTP client's own timeout aborts the socket; the race bounds the wait whatever it does.
      return await withTimeout(request({ timeout: timeoutMs }), timeoutMs);
    } catch (err) {
      if (err instanceof VaultTimeoutError) throw new VaultRequestError(operation, tenantId, connectionId, err.message, null);
      const { reason, statusCode } = describeFailure(err);
      throw new VaultRequestError(operation, tenantId, connectionId, isNotFound(err) ? 'not found' : reason, statusCode);
    }
  }
}

import type { Logger } from 'pino';
import { rootLogger } from '../logger';
import { CircuitBreaker, CircuitOpenError, type BreakerState, type BreakerStatus } from './circuit-breaker';
import type { PostgresCredentialStore } from './postgres';
import { redact } from './redact';
import type { Credentials, CredentialStore } from './store';
import { assertSafeCredentialIds, type VaultCredentialStore } from './vault';

export interface FailoverCredentialStoreOptions {
  /** How long a read waits for Vault before falling back to Postgres. */
  vaultReadTimeoutMs?: number;
  /** How long a write (or a catch-up copy) waits for Vault. */
  vaultWriteTimeoutMs?: number;
  /** How long Vault is left alone after failures before one probe call is let through. */
  coolDownMs?: number;
  /** Consecutive failures that open a breaker (reads and writes have one each). */
  failureThreshold?: number;
  /** How often the reconciler brings Vault up to date from Postgres (0: only on demand). */
  reconcileEveryMs?: number;
  logger?: Logger;
  now?: () => number;
}

export interface FailoverStatus {
  store: 'vault+postgres';
  /** `breaker` guards reads, `writes` guards writes and catch-up copies. */
  vault: { breaker: BreakerStatus; writes: BreakerStatus };
  /** The last Vault-side failure of any kind (read, write, catch-up copy), without secrets. */
  lastError: { message: string; at: string } | null;
}

/** What a failed put or delete left behind. */
export type WriteFailureOutcome =
  /** Neither store changed: retrying is safe. */
  | 'nothing-changed'
  /** Vault's entry was removed; reads fall back to Postgres and copy its row back into Vault. */
  | 'vault-entry-removed'
  /** Vault may hold a value Postgres does not, until the next successful put or delete. */
  | 'stores-may-disagree';

const OUTCOME_TEXT: Record<WriteFailureOutcome, string> = {
  'nothing-changed': 'neither store changed, retry it',
  'vault-entry-removed': 'the Vault entry was removed, so reads use the Postgres copy until it is retried',
  'stores-may-disagree': 'Vault and Postgres may disagree until it is retried successfully',
};

/** A put or delete that did not complete, saying what it left behind. Never reports success. */
export class CredentialWriteError extends Error {
  constructor(readonly operation: 'put' | 'delete', readonly tenantId: string, readonly connectionId: string,
    reason: string, readonly outcome: WriteFailureOutcome) {
    super(redact(`could not ${operation} credentials for tenant ${tenantId} connection ${connectionId}: ${reason}; ${OUTCOME_TEXT[outcome]}`));
    this.name = 'CredentialWriteError';
  }

  get storesMayDisagree(): boolean {
    return this.outcome === 'stores-may-disagree';
  }
}

function messageOf(err: unknown): string {
  if (err instanceof CircuitOpenError) return `Vault is unavailable (${err.message})`;
  return redact(err instanceof Error ? err.message : String(err));
}

type Ids = { tenantId: string; connectionId: string };

/**
 * Vault first for reads, Postgres as the durable copy of every write; a write never fails because
 * Vault does (a rotated refresh token the vendor has already swapped must not be lost).
 *
 * put: Postgres takes a new revision (one statement, no client held while Vault is called), then
 * Vault is written; if Vault fails or times out the put still succeeds and the connection stays
 * "behind" until the reconciler (on a timer, on reads, on demand) copies Postgres into Vault.
 * get: Postgres says which revision is current and which Vault version holds it; Vault answers
 * (short timeout, read breaker) when its version is that one, else Postgres answers and Vault is
 * brought up to date. A Vault write that lands late creates a newer Vault version, so it is
 * recognised as stale and overwritten, never served. delete: the row goes with a tombstone that
 * stays until Vault confirms the deletion. Reads and writes have separate breakers (3 consecutive
 * failures each), so slow reads never block credential writes.
 */
export class FailoverCredentialStore implements CredentialStore {
  private readonly reads: CircuitBreaker;
  private readonly writes: CircuitBreaker;
  private readonly readTimeoutMs: number;
  private readonly writeTimeoutMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly syncing = new Map<string, Promise<void>>();
  private readonly timer: NodeJS.Timeout | undefined;
  private lastError: { message: string; at: number } | null = null;

  constructor(private readonly primary: VaultCredentialStore, private readonly secondary: PostgresCredentialStore,
    options: FailoverCredentialStoreOptions = {}) {
    this.readTimeoutMs = options.vaultReadTimeoutMs ?? 1000;
    this.writeTimeoutMs = options.vaultWriteTimeoutMs ?? 2000;
    this.logger = options.logger ?? rootLogger.child({ component: 'credential-store' });
    this.now = options.now ?? Date.now;
    const breaker = (name: 'reads' | 'writes') => new CircuitBreaker({
      coolDownMs: options.coolDownMs ?? 5000,
      failureThreshold: options.failureThreshold ?? 3,
      now: this.now,
      onStateChange: (from, to) => this.logTransition(name, from, to),
    });
    this.reads = breaker('reads');
    this.writes = breaker('writes');
    const every = options.reconcileEveryMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(() => { void this.reconcile().catch(() => {}); }, every);
      this.timer.unref();
    }
  }

  /** Stops the reconciler's timer. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async get(tenantId: string, connectionId: string): Promise<Credentials | null> {
    assertSafeCredentialIds(tenantId, connectionId);
    let state;
    try {
      state = await this.secondary.replicationState(tenantId, connectionId);
    } catch (pgError) {
      // Postgres is down: Vault's value is the best answer there is.
      const fromVault = await this.readVault(tenantId, connectionId);
      if (fromVault !== undefined) return fromVault?.credentials ?? null;
      throw pgError;
    }
    if (!state) return null;
    // Behind: a write Vault did not take. Otherwise Vault is asked, and trusted only at the version recorded.
    let behind = true;
    if (state.vaultRevision === state.revision && state.vaultVersion !== null) {
      const fromVault = await this.readVault(tenantId, connectionId);
      if (fromVault && fromVault.version === state.vaultVersion) return fromVault.credentials;
      behind = fromVault !== undefined; // answered, but empty or stale (restarted, a late write); undefined: Vault is down
    }
    const current = await this.secondary.getRevision(tenantId, connectionId);
    if (!current) return null;
    // Copy it into Vault now (the write breaker fails fast while Vault is known to be down).
    if (behind) await this.syncToVault({ tenantId, connectionId }, current, 'read');
    return current.credentials;
  }

  async put(tenantId: string, connectionId: string, credentials: Credentials): Promise<void> {
    assertSafeCredentialIds(tenantId, connectionId);
    let revision: number;
    try {
      revision = await this.secondary.putRevision(tenantId, connectionId, credentials);
    } catch (err) {
      throw new CredentialWriteError('put', tenantId, connectionId, messageOf(err), 'nothing-changed');
    }
    await this.syncToVault({ tenantId, connectionId }, { credentials, revision }, 'write');
  }

  async delete(tenantId: string, connectionId: string): Promise<void> {
    assertSafeCredentialIds(tenantId, connectionId);
    try {
      await this.secondary.deleteTrackingVault(tenantId, connectionId);
    } catch (err) {
      throw new CredentialWriteError('delete', tenantId, connectionId, messageOf(err), 'nothing-changed');
    }
    await this.deleteFromVault({ tenantId, connectionId });
  }

  /** Brings Vault up to date with Postgres: copies what is behind, deletes what was deleted. */
  async reconcile(limit = 100): Promise<{ copied: number; deleted: number; failed: number }> {
    const backlog = await this.secondary.vaultBacklog(limit);
    const result = { copied: 0, deleted: 0, failed: 0 };
    for (const ids of backlog.deletions) {
      if (await this.deleteFromVault(ids)) result.deleted++;
      else result.failed++;
    }
    for (const ids of backlog.behind) {
      const current = await this.secondary.getRevision(ids.tenantId, ids.connectionId).catch(() => null);
      if (!current) continue;
      if (await this.syncToVault(ids, current, 'reconcile')) result.copied++;
      else result.failed++;
    }
    if (result.copied + result.deleted > 0) this.logger.info(result, 'credentials copied back from Postgres into Vault');
    return result;
  }

  status(): FailoverStatus {
    return {
      store: 'vault+postgres',
      vault: { breaker: this.reads.status(), writes: this.writes.status() },
      lastError: this.lastError && { message: this.lastError.message, at: new Date(this.lastError.at).toISOString() },
    };
  }

  /** Vault's answer with its version, null for "not found", undefined when Vault could not be asked or failed. */
  private async readVault(tenantId: string, connectionId: string): Promise<{ credentials: Credentials; version: number | null } | null | undefined> {
    try {
      return await this.guarded(this.reads, () => this.primary.getVersioned(tenantId, connectionId, { timeoutMs: this.readTimeoutMs }));
    } catch {
      return undefined; // recorded by guarded(); Postgres answers instead
    }
  }

  /** Writes one revision into Vault (one at a time per connection) and records it; false when Vault failed. Never throws. */
  private async syncToVault(ids: Ids, current: { credentials: Credentials; revision: number }, why: 'write' | 'read' | 'reconcile'): Promise<boolean> {
    const key = `${ids.tenantId}/${ids.connectionId}`;
    const earlier = this.syncing.get(key);
    if (earlier) await earlier.catch(() => {});
    let ok = false;
    const run = (async () => {
      try {
        const version = await this.guarded(this.writes, () => this.primary.putVersioned(ids.tenantId, ids.connectionId, current.credentials, { timeoutMs: this.writeTimeoutMs }));
        await this.secondary.markVaultSynced(ids.tenantId, ids.connectionId, current.revision, version);
        ok = true;
        if (why === 'read') this.logger.info(ids, 'credentials missing from Vault were copied back from Postgres');
      } catch (err) {
        this.logger.warn({ ...ids, err: messageOf(err) }, 'Vault did not take the credentials: they are kept in Postgres and copied into Vault later');
      }
    })();
    this.syncing.set(key, run);
    try {
      await run;
    } finally {
      if (this.syncing.get(key) === run) this.syncing.delete(key);
    }
    return ok;
  }

  private async deleteFromVault(ids: Ids): Promise<boolean> {
    try {
      await this.guarded(this.writes, () => this.primary.delete(ids.tenantId, ids.connectionId, { timeoutMs: this.writeTimeoutMs }));
      await this.secondary.markVaultDeleted(ids.tenantId, ids.connectionId);
      return true;
    } catch (err) {
      this.logger.warn({ ...ids, err: messageOf(err) }, 'Vault did not confirm a credentials deletion: it is retried later');
      return false;
    }
  }

  private async guarded<T>(breaker: CircuitBreaker, call: () => Promise<T>): Promise<T> {
    try {
      return await breaker.execute(call);
    } catch (err) {
      if (!(err instanceof CircuitOpenError)) this.noteFailure(err);
      throw err;
    }
  }

  private noteFailure(err: unknown): void {
    this.lastError = { message: messageOf(err), at: this.now() };
  }

  private logTransition(name: 'reads' | 'writes', from: BreakerState, to: BreakerState): void {
    const lastFailure = (name === 'reads' ? this.reads : this.writes)?.status().lastFailure;
    const breaker = { name, from, to, lastError: lastFailure ? redact(lastFailure.message) : null };
    if (to === 'open' && from === 'closed') {
      this.logger.warn({ breaker }, name === 'reads'
        ? 'Vault is failing: credentials are read from Postgres until a probe succeeds'
        : 'Vault is failing: credential writes are kept in Postgres and copied into Vault once it answers');
    } else if (to === 'closed') {
      this.logger.info({ breaker }, 'Vault answers again: credentials are read from Vault');
    } else {
      this.logger.debug({ breaker }, 'credential store circuit breaker changed state');
    }
  }
}

import type { Logger } from 'pino';
import { rootLogger } from '../logger';
import { CircuitBreaker, CircuitOpenError, type BreakerState, type BreakerStatus } from './circuit-breaker';
import type { PostgresCredentialStore } from './postgres';
import { redact } from './redact';
import type { Credentials, CredentialStore } from './store';
import { assertSafeCredentialIds, VaultRequestError, type VaultCredentialStore } from './vault';

export interface FailoverCredentialStoreOptions {
  /** How long a read waits for Vault before falling back to Postgres. */
  vaultReadTimeoutMs?: number;
  /** How long a write (or a self-healing copy) waits for Vault. */
  vaultWriteTimeoutMs?: number;
  /** How long Vault is left alone after a failure before one probe call is let through. */
  coolDownMs?: number;
  logger?: Logger;
  now?: () => number;
}

export interface FailoverStatus {
  store: 'vault+postgres';
  vault: { address: string; breaker: BreakerStatus };
  /** The last Vault-side failure of any kind (read, write, self-healing copy), without secrets. */
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

/** An HTTP error answer means Vault refused the write; anything else (timeout, reset) leaves it unknown. */
function writeMayHaveLanded(err: unknown): boolean {
  if (err instanceof CircuitOpenError) return false;
  if (err instanceof VaultRequestError) return err.statusCode === null && err.reason !== 'ECONNREFUSED';
  return false;
}

/**
 * Vault first, Postgres as the always-written encrypted copy.
 *
 * get: Vault with a short timeout behind a circuit breaker, then Postgres. When Vault answers
 * "not found" but Postgres has the entry (a dev-mode Vault restarted empty, a write compensated
 * away), the entry is copied back into Vault (check-and-set, so it never overwrites a newer put).
 *
 * put/delete: both stores or neither. The Postgres write runs in a transaction that holds the row
 * lock (serialising writers of one connection across processes); the Vault write happens inside it,
 * and Postgres commits only when Vault succeeded. So a Vault failure leaves both stores as they were
 * and the put fails with CredentialWriteError. Writes need Vault: while the breaker is open they fail
 * fast instead of diverging. If the commit itself fails after Vault took the value (or a Vault write
 * timed out and may have landed), the Vault entry is removed so reads fall back to Postgres and heal
 * from it; only if that removal fails too does the error say the stores may disagree.
 */
export class FailoverCredentialStore implements CredentialStore {
  private readonly breaker: CircuitBreaker;
  private readonly readTimeoutMs: number;
  private readonly writeTimeoutMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private lastError: { message: string; at: number } | null = null;

  constructor(private readonly primary: VaultCredentialStore, private readonly secondary: PostgresCredentialStore,
    options: FailoverCredentialStoreOptions = {}) {
    this.readTimeoutMs = options.vaultReadTimeoutMs ?? 300;
    this.writeTimeoutMs = options.vaultWriteTimeoutMs ?? 2000;
    this.logger = options.logger ?? rootLogger.child({ component: 'credential-store' });
    this.now = options.now ?? Date.now;
    this.breaker = new CircuitBreaker({
      coolDownMs: options.coolDownMs ?? 5000,
      now: this.now,
      onStateChange: (from, to) => this.logTransition(from, to),
    });
  }

  async get(tenantId: string, connectionId: string): Promise<Credentials | null> {
    assertSafeCredentialIds(tenantId, connectionId);
    const fromVault = await this.readVault(tenantId, connectionId);
    if (fromVault) return fromVault;
    const fromPostgres = await this.secondary.get(tenantId, connectionId);
    if (fromVault === null && fromPostgres) await this.healVault(tenantId, connectionId);
    return fromPostgres;
  }

  async put(tenantId: string, connectionId: string, credentials: Credentials): Promise<void> {
    assertSafeCredentialIds(tenantId, connectionId);
    let vaultWritten = false;
    try {
      await this.secondary.put(tenantId, connectionId, credentials, {
        beforeCommit: async () => {
          await this.guardedVaultCall(() => this.primary.put(tenantId, connectionId, credentials, { timeoutMs: this.writeTimeoutMs }));
          vaultWritten = true;
        },
      });
    } catch (err) {
      let outcome: WriteFailureOutcome = 'nothing-changed';
      if (vaultWritten || writeMayHaveLanded(err)) {
        outcome = await this.removeFromVault(tenantId, connectionId) ? 'vault-entry-removed' : 'stores-may-disagree';
      }
      throw new CredentialWriteError('put', tenantId, connectionId, messageOf(err), outcome);
    }
  }

  async delete(tenantId: string, connectionId: string): Promise<void> {
    assertSafeCredentialIds(tenantId, connectionId);
    let vaultDeleted = false;
    try {
      await this.secondary.delete(tenantId, connectionId, {
        beforeCommit: async () => {
          await this.guardedVaultCall(() => this.primary.delete(tenantId, connectionId, { timeoutMs: this.writeTimeoutMs }));
          vaultDeleted = true;
        },
      });
    } catch (err) {
      // Vault emptied but Postgres kept the row: the next read copies it back, so nothing is lost, only not deleted.
      throw new CredentialWriteError('delete', tenantId, connectionId, messageOf(err), vaultDeleted ? 'vault-entry-removed' : 'nothing-changed');
    }
  }

  status(): FailoverStatus {
    return {
      store: 'vault+postgres',
      vault: { address: this.primary.address, breaker: this.breaker.status() },
      lastError: this.lastError && { message: this.lastError.message, at: new Date(this.lastError.at).toISOString() },
    };
  }

  /** Vault's answer: the credentials, null for "not found", undefined when Vault could not be asked or failed. */
  private async readVault(tenantId: string, connectionId: string): Promise<Credentials | null | undefined> {
    try {
      return await this.guardedVaultCall(() => this.primary.get(tenantId, connectionId, { timeoutMs: this.readTimeoutMs }));
    } catch {
      return undefined; // recorded by guardedVaultCall; Postgres answers instead
    }
  }

  /**
   * Copies the Postgres row back into Vault under a share lock on the row (so a concurrent put or
   * delete cannot slip between the read and the copy) and only if Vault still has no entry.
   */
  private async healVault(tenantId: string, connectionId: string): Promise<void> {
    try {
      const copied = await this.secondary.withRowShareLocked(tenantId, connectionId, async (current) => current !== null &&
        this.guardedVaultCall(() => this.primary.putIfAbsent(tenantId, connectionId, current, { timeoutMs: this.writeTimeoutMs })));
      if (copied) this.logger.info({ tenantId, connectionId }, 'credentials missing from Vault were copied back from Postgres');
    } catch (err) {
      this.logger.warn({ tenantId, connectionId, err: messageOf(err) }, 'could not copy credentials back into Vault; Postgres served the read');
    }
  }

  /** Best-effort removal of a Vault entry that may be ahead of Postgres; bypasses the breaker on purpose. */
  private async removeFromVault(tenantId: string, connectionId: string): Promise<boolean> {
    try {
      await this.primary.delete(tenantId, connectionId, { timeoutMs: this.writeTimeoutMs });
      return true;
    } catch (err) {
      this.noteFailure(err);
      this.logger.error({ tenantId, connectionId, err: messageOf(err) },
        'a failed credentials write may have left Vault ahead of Postgres and the Vault entry could not be removed');
      return false;
    }
  }

  private async guardedVaultCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.execute(call);
    } catch (err) {
      if (!(err instanceof CircuitOpenError)) this.noteFailure(err);
      throw err;
    }
  }

  private noteFailure(err: unknown): void {
    this.lastError = { message: messageOf(err), at: this.now() };
  }

  private logTransition(from: BreakerState, to: BreakerState): void {
    const lastFailure = this.breaker.status().lastFailure;
    const breaker = { from, to, lastError: lastFailure ? redact(lastFailure.message) : null };
    if (to === 'open' && from === 'closed') {
      this.logger.warn({ breaker }, 'Vault is failing: credentials are read from Postgres until a probe succeeds');
    } else if (to === 'closed') {
      this.logger.info({ breaker }, 'Vault answers again: credentials are read from Vault');
    } else {
      this.logger.debug({ breaker }, 'credential store circuit breaker changed state');
    }
  }
}

import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { rootLogger } from '../logger';
import { FailoverCredentialStore, type FailoverCredentialStoreOptions, type FailoverStatus } from './failover';
import { readMasterKeyring } from './master-key';
import { PostgresCredentialStore } from './postgres';
import type { CredentialStore } from './store';
import { VaultCredentialStore } from './vault';

export type CredentialStoreStatus = FailoverStatus | ReturnType<PostgresCredentialStore['status']>;

/** A credential store that can say how it is doing (for /health). */
export interface ObservableCredentialStore extends CredentialStore {
  status(): CredentialStoreStatus;
  /** Stops background work (the Vault reconciler). */
  close?(): void;
}

export type CredentialStoreConfig = Pick<AppConfig, 'VAULT_ADDR' | 'VAULT_TOKEN' | 'FORGE_MASTER_KEY_FILE'>;

let warnedPostgresOnly = false;

/**
 * Failover(Vault, Postgres) when VAULT_ADDR and VAULT_TOKEN are set, else the encrypted Postgres
 * store alone (with a warning, once per process). The master key file must exist: it is never
 * created here, because a fresh key under a mistyped path would make every stored row unreadable.
 */
export function createCredentialStore(config: CredentialStoreConfig, pool: Pool,
  options: FailoverCredentialStoreOptions & { logger?: Logger } = {}): ObservableCredentialStore {
  if (!config.FORGE_MASTER_KEY_FILE) {
    throw new Error('FORGE_MASTER_KEY_FILE is not set: the credential store needs the master key file');
  }
  const logger = options.logger ?? rootLogger.child({ component: 'credential-store' });
  const ring = readMasterKeyring(config.FORGE_MASTER_KEY_FILE);
  const older = new Map([...ring.keys].filter(([version]) => version !== ring.currentVersion));
  const keyFile = config.FORGE_MASTER_KEY_FILE;
  const postgres = new PostgresCredentialStore({
    pool, masterKey: ring.keys.get(ring.currentVersion)!, keyVersion: ring.currentVersion, olderMasterKeys: older,
    reloadKeys: () => readMasterKeyring(keyFile),
  });
  if (config.VAULT_ADDR && config.VAULT_TOKEN) {
    const vault = new VaultCredentialStore({ address: config.VAULT_ADDR, token: config.VAULT_TOKEN });
    return new FailoverCredentialStore(vault, postgres, { ...options, logger });
  }
  if (!warnedPostgresOnly) {
    warnedPostgresOnly = true;
    logger.warn('VAULT_ADDR or VAULT_TOKEN is not set: credentials are kept only in the encrypted Postgres store');
  }
  return postgres;
}

export { CircuitBreaker, CircuitOpenError, type BreakerState, type BreakerStatus } from './circuit-breaker';
export { CredentialWriteError, FailoverCredentialStore, type FailoverCredentialStoreOptions, type FailoverStatus } from './failover';
export { CredentialDecryptionError, PostgresCredentialStore, type PostgresCredentialStoreOptions } from './postgres';
export type { Credentials, CredentialStore } from './store';
export {
  assertSafeCredentialIds, InvalidCredentialIdError, VaultCredentialStore, VaultRequestError,
  type VaultCallOptions, type VaultCredentialStoreOptions,
} from './vault';

import crypto from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../db/pool';
import type { Credentials, CredentialStore } from './store';
import { assertSafeCredentialIds } from './vault';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
// Fixed HKDF salt (domain separation); the tenant id goes in `info`, so every tenant gets its own key.
const HKDF_SALT = Buffer.from('forgeworks/connection-credentials/v1');

export interface PostgresCredentialStoreOptions {
  pool: Pool;
  /** The 32-byte master key (see master-key.ts); tenant keys are derived from it, never stored. */
  masterKey: Buffer;
  /** The version new rows are written with (default 1). */
  keyVersion?: number;
  /** Master keys of earlier versions, so rows written before a rotation still decrypt. */
  olderMasterKeys?: ReadonlyMap<number, Buffer>;
  /**
   * Re-reads the keyring (the master key file) when a row names a key version this process does not
   * know yet: another process rotated the master key and re-encrypted it.
   */
  reloadKeys?: () => { currentVersion: number; keys: ReadonlyMap<number, Buffer> };
}

/** Work to do inside a write's transaction, after the row is written and before it commits. */
export interface TransactionalWriteOptions {
  beforeCommit?: () => Promise<void>;
}

/** A row that does not decrypt for the tenant and connection asked for. Names ids, never contents. */
export class CredentialDecryptionError extends Error {
  constructor(readonly tenantId: string, readonly connectionId: string, reason: string) {
    super(`credentials for tenant ${tenantId} connection ${connectionId} could not be decrypted: ${reason}`);
    this.name = 'CredentialDecryptionError';
  }
}

export interface ReplicationState {
  revision: number;
  vaultRevision: number | null;
  vaultVersion: number | null;
}

interface EncryptedRow {
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  key_version: number;
}

function deriveTenantKey(masterKey: Buffer, tenantId: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey, HKDF_SALT, `forgeworks tenant credentials key\0${tenantId}`, KEY_BYTES));
}

/** Binds a ciphertext to its tenant and connection: a row copied elsewhere fails authentication. */
function additionalData(tenantId: string, connectionId: string): Buffer {
  return Buffer.from(JSON.stringify(['connection_credentials', tenantId, connectionId]));
}

/**
 * Credentials encrypted with AES-256-GCM in the connection_credentials table: a key derived per
 * tenant from the master key (HKDF-SHA256), a fresh 12-byte IV per write, and tenant and connection
 * ids as additional authenticated data. Keys are derived per call; nothing is cached.
 */
export class PostgresCredentialStore implements CredentialStore {
  private readonly pool: Pool;
  private keyVersion: number;
  private masterKeys: ReadonlyMap<number, Buffer>;
  private readonly reloadKeys?: PostgresCredentialStoreOptions['reloadKeys'];

  constructor(options: PostgresCredentialStoreOptions) {
    if (options.masterKey.length !== KEY_BYTES) throw new Error(`the master key must be ${KEY_BYTES} bytes`);
    this.pool = options.pool;
    this.keyVersion = options.keyVersion ?? 1;
    if (!Number.isInteger(this.keyVersion) || this.keyVersion < 1) throw new Error('keyVersion must be a positive integer');
    this.masterKeys = new Map([...(options.olderMasterKeys ?? []), [this.keyVersion, options.masterKey]]);
    this.reloadKeys = options.reloadKeys;
  }

  /**
   * Re-encrypts every row written under an older master key version with the current one (after a
   * rotation added a version to the keyring). Revisions do not change: Vault is not involved.
   * Returns how many rows were re-encrypted.
   */
  async reencryptAll(options: { batchSize?: number; tenantId?: string } = {}): Promise<number> {
    const batchSize = options.batchSize ?? 100;
    let total = 0;
    for (;;) {
      const done = await inTransaction(this.pool, async (client) => {
        const { rows } = await client.query<EncryptedRow & { tenant_id: string; connection_id: string }>(
          `SELECT tenant_id, connection_id, ciphertext, iv, auth_tag, key_version FROM connection_credentials
           WHERE key_version <> $1 AND ($3::text IS NULL OR tenant_id = $3) LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [this.keyVersion, batchSize, options.tenantId ?? null]);
        for (const row of rows) {
          const fresh = this.encrypt(row.tenant_id, row.connection_id, this.decrypt(row.tenant_id, row.connection_id, row));
          await client.query(
            `UPDATE connection_credentials SET ciphertext = $3, iv = $4, auth_tag = $5, key_version = $6
             WHERE tenant_id = $1 AND connection_id = $2`,
            [row.tenant_id, row.connection_id, fresh.ciphertext, fresh.iv, fresh.auth_tag, fresh.key_version]);
        }
        return rows.length;
      });
      total += done;
      if (done < batchSize) return total;
    }
  }

  async get(tenantId: string, connectionId: string): Promise<Credentials | null> {
    assertSafeCredentialIds(tenantId, connectionId);
    const { rows } = await this.pool.query<EncryptedRow>(
      'SELECT ciphertext, iv, auth_tag, key_version FROM connection_credentials WHERE tenant_id = $1 AND connection_id = $2',
      [tenantId, connectionId]);
    if (rows.length === 0) return null;
    return this.decrypt(tenantId, connectionId, rows[0]);
  }

  async put(tenantId: string, connectionId: string, credentials: Credentials, options: TransactionalWriteOptions = {}): Promise<void> {
    await this.putRevision(tenantId, connectionId, credentials, options);
  }

  /** Writes (a new revision of) the connection's credentials; returns the revision. */
  async putRevision(tenantId: string, connectionId: string, credentials: Credentials, options: TransactionalWriteOptions = {}):
    Promise<number> {
    assertSafeCredentialIds(tenantId, connectionId);
    if (typeof credentials !== 'object' || credentials === null || Array.isArray(credentials)) {
      throw new TypeError('credentials must be an object');
    }
    const row = this.encrypt(tenantId, connectionId, credentials);
    const sql = `WITH undeleted AS (DELETE FROM credential_vault_deletions WHERE tenant_id = $1 AND connection_id = $2)
       INSERT INTO connection_credentials (tenant_id, connection_id, ciphertext, iv, auth_tag, key_version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (tenant_id, connection_id) DO UPDATE
         SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, auth_tag = EXCLUDED.auth_tag,
             key_version = EXCLUDED.key_version, updated_at = now(), revision = connection_credentials.revision + 1
       RETURNING revision`;
    const params = [tenantId, connectionId, row.ciphertext, row.iv, row.auth_tag, row.key_version];
    if (!options.beforeCommit) return Number((await this.pool.query<{ revision: string }>(sql, params)).rows[0].revision);
    let revision = 0;
    await this.writeInTransaction(options, async (client) => {
      revision = Number((await client.query<{ revision: string }>(sql, params)).rows[0].revision);
    });
    return revision;
  }

  async delete(tenantId: string, connectionId: string, options: TransactionalWriteOptions = {}): Promise<void> {
    assertSafeCredentialIds(tenantId, connectionId);
    await this.writeInTransaction(options, (client) => client.query(
      'DELETE FROM connection_credentials WHERE tenant_id = $1 AND connection_id = $2', [tenantId, connectionId]));
  }

  /** Deletes the row and records that Vault's copy must go too (until markVaultDeleted). */
  async deleteTrackingVault(tenantId: string, connectionId: string): Promise<void> {
    assertSafeCredentialIds(tenantId, connectionId);
    await this.pool.query(
      `WITH gone AS (DELETE FROM connection_credentials WHERE tenant_id = $1 AND connection_id = $2)
       INSERT INTO credential_vault_deletions (tenant_id, connection_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [tenantId, connectionId]);
  }

  async markVaultDeleted(tenantId: string, connectionId: string): Promise<void> {
    await this.pool.query('DELETE FROM credential_vault_deletions WHERE tenant_id = $1 AND connection_id = $2', [tenantId, connectionId]);
  }

  /** Which revision the row is at and which one Vault is known to hold (no decryption); null when absent. */
  async replicationState(tenantId: string, connectionId: string): Promise<ReplicationState | null> {
    assertSafeCredentialIds(tenantId, connectionId);
    const { rows } = await this.pool.query<{ revision: string; vault_revision: string | null; vault_version: number | null }>(
      'SELECT revision, vault_revision, vault_version FROM connection_credentials WHERE tenant_id = $1 AND connection_id = $2',
      [tenantId, connectionId]);
    if (rows.length === 0) return null;
    const r = rows[0];
    return { revision: Number(r.revision), vaultRevision: r.vault_revision === null ? null : Number(r.vault_revision), vaultVersion: r.vault_version };
  }

  /** The credentials with their revision, or null. */
  async getRevision(tenantId: string, connectionId: string): Promise<{ credentials: Credentials; revision: number } | null> {
    assertSafeCredentialIds(tenantId, connectionId);
    const { rows } = await this.pool.query<EncryptedRow & { revision: string }>(
      'SELECT ciphertext, iv, auth_tag, key_version, revision FROM connection_credentials WHERE tenant_id = $1 AND connection_id = $2',
      [tenantId, connectionId]);
    if (rows.length === 0) return null;
    return { credentials: this.decrypt(tenantId, connectionId, rows[0]), revision: Number(rows[0].revision) };
  }

  /** Records that Vault holds `revision` as its version `vaultVersion` (ignored if a newer revision was written meanwhile). */
  async markVaultSynced(tenantId: string, connectionId: string, revision: number, vaultVersion: number | null): Promise<void> {
    await this.pool.query(
      'UPDATE connection_credentials SET vault_revision = $3, vault_version = $4 WHERE tenant_id = $1 AND connection_id = $2 AND revision = $3',
      [tenantId, connectionId, revision, vaultVersion]);
  }

  /** Connections whose Vault copy is behind (or unconfirmed), and deletions Vault has not confirmed. */
  async vaultBacklog(limit = 100): Promise<{ behind: Array<{ tenantId: string; connectionId: string }>; deletions: Array<{ tenantId: string; connectionId: string }> }> {
    const behind = await this.pool.query<{ tenant_id: string; connection_id: string }>(
      'SELECT tenant_id, connection_id FROM connection_credentials WHERE vault_revision IS DISTINCT FROM revision ORDER BY updated_at LIMIT $1', [limit]);
    const deletions = await this.pool.query<{ tenant_id: string; connection_id: string }>(
      'SELECT tenant_id, connection_id FROM credential_vault_deletions ORDER BY requested_at LIMIT $1', [limit]);
    const ids = (r: { tenant_id: string; connection_id: string }) => ({ tenantId: r.tenant_id, connectionId: r.connection_id });
    return { behind: behind.rows.map(ids), deletions: deletions.rows.map(ids) };
  }

  /**
   * Runs fn with the connection's current credentials while holding a share lock on its row, so no
   * put or delete of that connection can commit meanwhile (used to copy the row into Vault safely).
   */
  async withRowShareLocked<T>(tenantId: string, connectionId: string, fn: (credentials: Credentials | null) => Promise<T>):
    Promise<T> {
    assertSafeCredentialIds(tenantId, connectionId);
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<EncryptedRow>(
        `SELECT ciphertext, iv, auth_tag, key_version FROM connection_credentials
         WHERE tenant_id = $1 AND connection_id = $2 FOR SHARE`, [tenantId, connectionId]);
      const credentials = rows.length === 0 ? null : this.decrypt(tenantId, connectionId, rows[0]);
      return fn(credentials);
    });
  }

  status(): { store: 'postgres'; keyVersion: number } {
    return { store: 'postgres', keyVersion: this.keyVersion };
  }

  private encrypt(tenantId: string, connectionId: string, credentials: Credentials): EncryptedRow {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv(ALGORITHM, deriveTenantKey(this.masterKeys.get(this.keyVersion)!, tenantId), iv,
      { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(tenantId, connectionId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
    return { ciphertext, iv, auth_tag: cipher.getAuthTag(), key_version: this.keyVersion };
  }

  private decrypt(tenantId: string, connectionId: string, row: EncryptedRow): Credentials {
    if (!this.masterKeys.has(row.key_version) && this.reloadKeys) {
      try {
        const ring = this.reloadKeys();
        this.masterKeys = ring.keys;
        this.keyVersion = ring.currentVersion;
      } catch {
        // the error below says which version is missing
      }
    }
    const masterKey = this.masterKeys.get(row.key_version);
    if (!masterKey) throw new CredentialDecryptionError(tenantId, connectionId, `no master key for key version ${row.key_version}`);
    if (row.iv.length !== IV_BYTES || row.auth_tag.length !== TAG_BYTES) {
      throw new CredentialDecryptionError(tenantId, connectionId, 'the stored IV or authentication tag has the wrong length');
    }
    let plaintext: string;
    try {
      const decipher = crypto.createDecipheriv(ALGORITHM, deriveTenantKey(masterKey, tenantId), row.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(tenantId, connectionId));
      decipher.setAuthTag(row.auth_tag);
      plaintext = Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // Deliberately not chaining the crypto error: nothing about the bytes belongs in a message.
      throw new CredentialDecryptionError(tenantId, connectionId,
        'authentication failed (the row was not written for this tenant and connection, was altered, or the master key changed)');
    }
    return JSON.parse(plaintext) as Credentials;
  }

  private async writeInTransaction(options: TransactionalWriteOptions, write: (client: PoolClient) => Promise<unknown>): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await write(client);
      await options.beforeCommit?.();
    });
  }
}

import type { Pool } from 'pg';
import { loadConfig } from '../config';
import { createPool } from '../db/pool';
import { addMasterKeyVersion, readMasterKeyring } from './master-key';
import { PostgresCredentialStore } from './postgres';

/**
 * Rotates the master key: adds a fresh key as the next version to the keyring file, then
 * re-encrypts every stored credential row with it. Running gateways and workers pick the new
 * version up when they meet a row that needs it (they re-read the file), and derive the new
 * Temporal payload codec key from it when restarted. Older versions stay in the file: Temporal
 * histories written under them still need them to be decoded.
 */
export async function rotateMasterKey(file: string, pool: Pool, options: { tenantId?: string } = {}): Promise<{ version: number; reencrypted: number }> {
  const version = addMasterKeyVersion(file);
  const ring = readMasterKeyring(file);
  const store = new PostgresCredentialStore({
    pool, masterKey: ring.keys.get(ring.currentVersion)!, keyVersion: ring.currentVersion,
    olderMasterKeys: new Map([...ring.keys].filter(([v]) => v !== ring.currentVersion)),
  });
  return { version, reencrypted: await store.reencryptAll({ tenantId: options.tenantId }) };
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.FORGE_MASTER_KEY_FILE) throw new Error('FORGE_MASTER_KEY_FILE is not set');
  const pool = createPool(config.DATABASE_URL);
  try {
    const { version, reencrypted } = await rotateMasterKey(config.FORGE_MASTER_KEY_FILE, pool);
    process.stdout.write(`master key version ${version} is current; ${reencrypted} credential row(s) re-encrypted\n`);
  } finally {
    await pool.end();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

import crypto from 'node:crypto';
import util from 'node:util';
import type { Pool } from 'pg';
import {
  createCredentialStore, CredentialDecryptionError, FailoverCredentialStore, InvalidCredentialIdError, PostgresCredentialStore,
} from '../../src/platform/credentials';
import { readMasterKey } from '../../src/platform/credentials/master-key';
import { redact } from '../../src/platform/credentials/redact';
import { createPool } from '../../src/platform/db/pool';
import { createLogger } from '../../src/platform/logger';
import { testConfig, testStack, uniqueName } from '../helpers/stack';

function canary(): string {
  return `canary-${crypto.randomBytes(12).toString('hex')}`;
}

function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('credentials-test', 'debug', { write: (line: string) => { lines.push(line); } }), lines };
}

describe('PostgresCredentialStore on real Postgres', () => {
  const stack = testStack();
  let pool: Pool;
  let store: PostgresCredentialStore;

  beforeAll(() => {
    pool = createPool(stack.databaseUrl, 4);
    store = new PostgresCredentialStore({ pool, masterKey: readMasterKey(stack.masterKeyFile) });
  });
  afterAll(() => pool.end());

  async function rowOf(tenantId: string, connectionId: string) {
    const { rows } = await pool.query<{ ciphertext: Buffer; iv: Buffer; auth_tag: Buffer; key_version: number; as_text: string }>(
      `SELECT ciphertext, iv, auth_tag, key_version, t::text AS as_text FROM connection_credentials t
       WHERE tenant_id = $1 AND connection_id = $2`, [tenantId, connectionId]);
    return rows[0];
  }

  async function copyRow(from: [string, string], to: [string, string]): Promise<void> {
    await pool.query(
      `INSERT INTO connection_credentials (tenant_id, connection_id, ciphertext, iv, auth_tag, key_version)
       SELECT $3, $4, ciphertext, iv, auth_tag, key_version FROM connection_credentials WHERE tenant_id = $1 AND connection_id = $2`,
      [...from, ...to]);
  }

  it('round-trips, updates and deletes credentials, and answers null for unknown ones', async () => {
    const tenant = uniqueName('tenant');
    const credentials = { apiKey: canary(), nested: { region: 'eu', retries: 3 }, scopes: ['read', 'write'] };
    expect(await store.get(tenant, 'conn-1')).toBeNull();

    await store.put(tenant, 'conn-1', credentials);
    expect(await store.get(tenant, 'conn-1')).toEqual(credentials);

    const updated = { apiKey: canary() };
    await store.put(tenant, 'conn-1', updated);
    expect(await store.get(tenant, 'conn-1')).toEqual(updated);

    await store.delete(tenant, 'conn-1');
    expect(await store.get(tenant, 'conn-1')).toBeNull();
    await store.delete(tenant, 'conn-1'); // deleting what is gone is fine
  });

  it('registers nothing process-wide: scrubbing is per scope, by the auth plug-ins that know the secret fields', async () => {
    const tenant = uniqueName('tenant');
    const secret = canary();
    await store.put(tenant, 'conn', { token: secret });
    await store.get(tenant, 'conn');
    expect(redact(`saw ${secret}`)).toBe(`saw ${secret}`);
  });

  it('stores no plaintext: the row holds neither the secret nor its hex or base64 forms, and each write has a fresh IV', async () => {
    const tenant = uniqueName('tenant');
    const secret = canary();
    await store.put(tenant, 'conn', { password: secret });
    const first = await rowOf(tenant, 'conn');
    for (const form of [secret, Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64')]) {
      expect(first.as_text).not.toContain(form);
      expect(first.ciphertext.toString('latin1')).not.toContain(secret);
    }
    expect(first.iv).toHaveLength(12);
    expect(first.auth_tag).toHaveLength(16);
    expect(first.key_version).toBe(1);

    await store.put(tenant, 'conn', { password: secret });
    const second = await rowOf(tenant, 'conn');
    expect(second.iv.equals(first.iv)).toBe(false);
    expect(second.ciphertext.equals(first.ciphertext)).toBe(false);
  });

  it('refuses a row copied to another tenant or another connection, naming where and not what', async () => {
    const tenant = uniqueName('tenant');
    const otherTenant = uniqueName('tenant');
    const secret = canary();
    await store.put(tenant, 'conn-a', { apiKey: secret });
    await copyRow([tenant, 'conn-a'], [otherTenant, 'conn-a']);
    await copyRow([tenant, 'conn-a'], [tenant, 'conn-b']);

    for (const [t, c] of [[otherTenant, 'conn-a'], [tenant, 'conn-b']]) {
      const err = await store.get(t, c).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CredentialDecryptionError);
      const message = (err as Error).message;
      expect(message).toContain(`tenant ${t}`);
      expect(message).toContain(`connection ${c}`);
      expect(util.inspect(err, { depth: 10 })).not.toContain(secret);
      expect((err as Error).cause).toBeUndefined();
    }
    expect(await store.get(tenant, 'conn-a')).toEqual({ apiKey: secret }); // the original still reads
  });

  it('refuses a tampered ciphertext', async () => {
    const tenant = uniqueName('tenant');
    await store.put(tenant, 'conn', { apiKey: canary() });
    await pool.query(
      `UPDATE connection_credentials SET ciphertext = set_byte(ciphertext, 0, (get_byte(ciphertext, 0) + 1) % 256)
       WHERE tenant_id = $1`, [tenant]);
    await expect(store.get(tenant, 'conn')).rejects.toThrow(CredentialDecryptionError);
  });

  it('reads rows of an older key version after a master key rotation and writes new ones with the new version', async () => {
    const tenant = uniqueName('tenant');
    const oldKey = crypto.randomBytes(32);
    const newKey = crypto.randomBytes(32);
    const before = new PostgresCredentialStore({ pool, masterKey: oldKey, keyVersion: 1 });
    await before.put(tenant, 'conn', { apiKey: 'written-before-rotation' });

    const after = new PostgresCredentialStore({ pool, masterKey: newKey, keyVersion: 2, olderMasterKeys: new Map([[1, oldKey]]) });
    expect(await after.get(tenant, 'conn')).toEqual({ apiKey: 'written-before-rotation' });
    await after.put(tenant, 'conn', { apiKey: 'written-after-rotation' });
    expect((await rowOf(tenant, 'conn')).key_version).toBe(2);

    await expect(before.get(tenant, 'conn')).rejects.toThrow(/no master key for key version 2/);
  });

  it('rejects ids that could escape their tenant or connection', async () => {
    for (const [t, c] of [['../other', 'c'], ['t', '../../x'], ['t/x', 'c'], ['', 'c'], ['t', ''], ['.', 'c'], ['t', 'c%2F..'],
      ['t', 'a'.repeat(129)]]) {
      await expect(store.put(t, c, { a: 'b' })).rejects.toThrow(InvalidCredentialIdError);
      await expect(store.get(t, c)).rejects.toThrow(InvalidCredentialIdError);
    }
  });
});

describe('createCredentialStore', () => {
  const stack = testStack();
  let pool: Pool;
  beforeAll(() => { pool = createPool(stack.databaseUrl, 2); });
  afterAll(() => pool.end());

  it('uses the encrypted Postgres store alone without Vault settings, warning once per process', () => {
    const { logger, lines } = capturingLogger();
    jest.isolateModules(() => {
      // A fresh module, so the once-per-process warning has not been given by another test.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../../src/platform/credentials') as typeof import('../../src/platform/credentials');
      const config = testConfig({ VAULT_ADDR: undefined, VAULT_TOKEN: undefined });
      const first = fresh.createCredentialStore(config, pool, { logger });
      const second = fresh.createCredentialStore(config, pool, { logger });
      expect(first).toBeInstanceOf(fresh.PostgresCredentialStore);
      expect(second).toBeInstanceOf(fresh.PostgresCredentialStore);
      expect(first.status()).toEqual({ store: 'postgres', keyVersion: 1 });
    });
    expect(lines.filter((l) => l.includes('VAULT_ADDR or VAULT_TOKEN is not set'))).toHaveLength(1);
  });

  it('fails over from Vault to Postgres when Vault settings are given', () => {
    const store = createCredentialStore(
      testConfig({ VAULT_ADDR: 'http://127.0.0.1:1', VAULT_TOKEN: `token-${crypto.randomBytes(8).toString('hex')}` }), pool);
    expect(store).toBeInstanceOf(FailoverCredentialStore);
    expect(store.status()).toMatchObject({ store: 'vault+postgres', vault: { breaker: { state: 'closed' }, writes: { state: 'closed' } } });
    store.close?.();
  });

  it('refuses to start without a master key file', () => {
    expect(() => createCredentialStore(testConfig({ FORGE_MASTER_KEY_FILE: undefined }), pool)).toThrow(/FORGE_MASTER_KEY_FILE/);
  });
});

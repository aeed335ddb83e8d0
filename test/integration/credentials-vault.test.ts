import crypto from 'node:crypto';
import util from 'node:util';
import vault from 'node-vault';
import type { Pool } from 'pg';
import { FailoverCredentialStore } from '../../src/platform/credentials/failover';
import { readMasterKey } from '../../src/platform/credentials/master-key';
import { PostgresCredentialStore } from '../../src/platform/credentials/postgres';
import { redact } from '../../src/platform/credentials/redact';
import { InvalidCredentialIdError, VaultCredentialStore, VaultRequestError } from '../../src/platform/credentials/vault';
import { createPool } from '../../src/platform/db/pool';
import { createLogger } from '../../src/platform/logger';
import { ownVault } from '../helpers/own-vault';
import { testStack, uniqueName } from '../helpers/stack';

const stack = testStack();
const vaultAddress = stack.vault.address;
if (!vaultAddress) {
  // The one allowed skip: no Vault-API server could be built on this machine.
  console.warn(`Vault-backed credential store tests skipped: ${'reason' in stack.vault ? stack.vault.reason : 'unknown'}`);
}
const describeWithVault = vaultAddress ? describe : describe.skip;

function canary(): string {
  return `canary-${crypto.randomBytes(12).toString('hex')}`;
}

function entryPath(tenantId: string, connectionId: string): string {
  return `secret/data/forgeworks/tenants/${tenantId}/connections/${connectionId}`;
}

async function readDirectly(client: vault.client, path: string): Promise<unknown> {
  try {
    return (await client.read(path)).data.data;
  } catch (err) {
    if ((err as { response?: { statusCode?: number } }).response?.statusCode === 404) return null;
    throw err;
  }
}

/** Polls `condition` until it holds or the deadline passes (then fails with `what`). */
async function until(what: string, timeoutMs: number, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeWithVault('VaultCredentialStore on the real Vault dev server', () => {
  const token = (stack.vault as { token: string }).token;
  const direct = () => vault({ apiVersion: 'v1', endpoint: vaultAddress!, token });

  it('round-trips credentials at the tenant and connection path, and deletes every version', async () => {
    const store = new VaultCredentialStore({ address: vaultAddress!, token });
    const tenant = uniqueName('tenant');
    const credentials = { apiKey: canary(), nested: { region: 'eu' }, scopes: ['a', 'b'] };
    expect(await store.get(tenant, 'conn')).toBeNull();

    await store.put(tenant, 'conn', credentials);
    expect(await store.get(tenant, 'conn')).toEqual(credentials);
    expect(await readDirectly(direct(), entryPath(tenant, 'conn'))).toEqual(credentials);
    expect(redact(credentials.apiKey)).toBe(credentials.apiKey); // stores register nothing process-wide

    await store.put(tenant, 'conn', { apiKey: 'second' });
    expect(await store.get(tenant, 'conn', { timeoutMs: 2000 })).toEqual({ apiKey: 'second' });
    expect(await store.putIfAbsent(tenant, 'conn', { apiKey: 'must-not-win' })).toBe(false);

    await store.delete(tenant, 'conn');
    expect(await store.get(tenant, 'conn')).toBeNull();
    await expect(direct().read(`secret/metadata/forgeworks/tenants/${tenant}/connections/conn`)).rejects.toMatchObject({
      response: { statusCode: 404 },
    });
    expect(await store.putIfAbsent(tenant, 'conn', { apiKey: 'third' })).toBe(true);
    expect(await store.get(tenant, 'conn')).toEqual({ apiKey: 'third' });
  });

  it('keeps tenants apart and refuses path tricks before any request', async () => {
    const store = new VaultCredentialStore({ address: vaultAddress!, token });
    const [a, b] = [uniqueName('tenant'), uniqueName('tenant')];
    await store.put(a, 'conn', { apiKey: 'of-a' });
    expect(await store.get(b, 'conn')).toBeNull();
    for (const [t, c] of [['..', 'conn'], [b, '../../' + a + '/connections/conn'], [`${b}/../${a}`, 'conn'], [b, 'conn?version=1']]) {
      await expect(store.get(t, c)).rejects.toThrow(InvalidCredentialIdError);
    }
  });

  it('fails with an error that holds neither the secret nor the token when Vault refuses', async () => {
    const wrongToken = `wrong-${crypto.randomBytes(12).toString('hex')}`;
    const store = new VaultCredentialStore({ address: vaultAddress!, token: wrongToken });
    const secret = canary();
    const err = await store.put(uniqueName('tenant'), 'conn', { apiKey: secret }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(VaultRequestError);
    expect((err as VaultRequestError).statusCode).toBe(403);
    const inspected = util.inspect(err, { depth: 10 });
    expect(inspected).not.toContain(secret);
    expect(inspected).not.toContain(wrongToken);
  });
});

describeWithVault('FailoverCredentialStore with a Vault dev server that is killed and restarted', () => {
  const READ_TIMEOUT_MS = 300;
  const COOL_DOWN_MS = 1000;
  let pool: Pool;
  let postgres: PostgresCredentialStore;
  const vaults = ownVault(stack);
  const { token } = vaults;

  beforeAll(async () => {
    pool = createPool(stack.databaseUrl, 4);
    postgres = new PostgresCredentialStore({ pool, masterKey: readMasterKey(stack.masterKeyFile) });
  });
  afterAll(async () => {
    await vaults.stopAll();
    await pool.end();
  });

  it('keeps serving from Postgres at the cost of one timeout, then goes back to Vault and refills it', async () => {
    const first = await vaults.start();
    const lines: string[] = [];
    const vaultStore = new VaultCredentialStore({ address: first.address, token });
    const store = new FailoverCredentialStore(vaultStore, postgres, {
      vaultReadTimeoutMs: READ_TIMEOUT_MS, coolDownMs: COOL_DOWN_MS,
      logger: createLogger('credentials-test', 'debug', { write: (line: string) => { lines.push(line); } }),
    });
    const direct = vault({ apiVersion: 'v1', endpoint: first.address, token });
    const tenant = uniqueName('tenant');
    const secret = canary();
    let credentials = { apiKey: secret, account: 'acme' };

    await store.put(tenant, 'conn', credentials);
    expect(await readDirectly(direct, entryPath(tenant, 'conn'))).toEqual(credentials);
    expect(await postgres.get(tenant, 'conn')).toEqual(credentials);
    expect(await store.get(tenant, 'conn')).toEqual(credentials);

    // Outage: SIGKILL, no goodbye.
    await vaults.kill(first);

    const vaultGets = jest.spyOn(vaultStore, 'getVersioned');
    const started = performance.now();
    for (let i = 0; i < 50; i++) expect(await store.get(tenant, 'conn')).toEqual(credentials);
    const elapsed = performance.now() - started;
    console.info(`50 gets with Vault killed: ${Math.round(elapsed)} ms, ${vaultGets.mock.calls.length} Vault attempt(s)`);
    expect(elapsed).toBeLessThan(READ_TIMEOUT_MS * 3 + 2500);
    expect(vaultGets.mock.calls.length).toBeLessThanOrEqual(3 + Math.ceil(elapsed / COOL_DOWN_MS)); // 3 failures open the read breaker
    expect(store.status().vault.breaker.state).not.toBe('closed');

    // A write while Vault is down is kept in Postgres (a rotated token must never be lost).
    const rotated = { apiKey: canary(), account: 'acme' };
    await store.put(tenant, 'conn', rotated);
    expect(await postgres.get(tenant, 'conn')).toEqual(rotated);
    expect(await store.get(tenant, 'conn')).toEqual(rotated);
    credentials = rotated;

    // Recovery: same address, but dev mode starts empty.
    await vaults.start();
    const restarted = performance.now();
    expect(await readDirectly(direct, entryPath(tenant, 'conn'))).toBeNull();
    await until('the breaker closing again', COOL_DOWN_MS + 15000, async () => {
      expect(await store.get(tenant, 'conn')).toEqual(credentials);
      return store.status().vault.breaker.state === 'closed';
    });
    console.info(`back on Vault ${Math.round(performance.now() - restarted)} ms after the restart (cool-down ${COOL_DOWN_MS} ms)`);

    // Self-healed: the entry is in Vault again, and reads are answered by Vault.
    expect(await readDirectly(direct, entryPath(tenant, 'conn'))).toEqual(credentials);
    const postgresGets = jest.spyOn(postgres, 'get');
    expect(await store.get(tenant, 'conn')).toEqual(credentials);
    expect(postgresGets).not.toHaveBeenCalled();
    postgresGets.mockRestore();

    const log = lines.join('\n');
    expect(log).toContain('Vault is failing');
    expect(log).toContain('copied back from Postgres');
    expect(log).toContain('Vault answers again');
    expect(log).not.toContain(secret);
    expect(JSON.stringify(store.status())).not.toContain(secret);
  });

  it('refills an entry Vault lost without overwriting a newer one', async () => {
    const server = vaults.latest();
    const store = new FailoverCredentialStore(new VaultCredentialStore({ address: server.address, token }), postgres);
    const direct = vault({ apiVersion: 'v1', endpoint: server.address, token });
    const tenant = uniqueName('tenant');

    await store.put(tenant, 'conn', { apiKey: 'v1' });
    await direct.delete(`secret/metadata/forgeworks/tenants/${tenant}/connections/conn`);
    expect(await store.get(tenant, 'conn')).toEqual({ apiKey: 'v1' });
    expect(await readDirectly(direct, entryPath(tenant, 'conn'))).toEqual({ apiKey: 'v1' });

    await store.put(tenant, 'conn', { apiKey: 'v2' });
    expect(await store.get(tenant, 'conn')).toEqual({ apiKey: 'v2' });
    expect(await postgres.get(tenant, 'conn')).toEqual({ apiKey: 'v2' });

    await store.delete(tenant, 'conn');
    expect(await store.get(tenant, 'conn')).toBeNull();
    expect(await readDirectly(direct, entryPath(tenant, 'conn'))).toBeNull();
  });
});

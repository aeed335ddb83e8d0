import crypto from 'node:crypto';
import type { Pool } from 'pg';
import { oauth2RefreshTokenAuth, SingleFlightCache, type AccessToken } from '../../src/platform/auth';
import { FailoverCredentialStore } from '../../src/platform/credentials/failover';
import { readMasterKey } from '../../src/platform/credentials/master-key';
import { PostgresCredentialStore } from '../../src/platform/credentials/postgres';
import { withScrubber } from '../../src/platform/credentials/redact';
import { VaultCredentialStore } from '../../src/platform/credentials/vault';
import { createPool } from '../../src/platform/db/pool';
import { createLogger } from '../../src/platform/logger';
import { loopbackServers, sendJson } from '../helpers/loopback-server';
import { ownVault } from '../helpers/own-vault';
import { testStack, uniqueName } from '../helpers/stack';

const stack = testStack();
const describeWithVault = stack.vaultBinary ? describe : describe.skip;
const serve = loopbackServers();

// An OAuth provider that rotates refresh tokens (the old one dies at once) answers a refresh while
// Vault is being killed. The rotated token must not be lost: the refresh succeeds, the next refresh
// uses the new token, and once Vault is back the reconciler brings it up to date.
describeWithVault('a refresh-token rotation while Vault is killed', () => {
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

  it('never loses the rotated token, and Vault catches up after it comes back', async () => {
    const vault = await vaults.start();
    const lines: string[] = [];
    const vaultStore = new VaultCredentialStore({ address: vault.address, token });
    const store = new FailoverCredentialStore(vaultStore, postgres, {
      vaultReadTimeoutMs: 300, vaultWriteTimeoutMs: 500, coolDownMs: 500, reconcileEveryMs: 0,
      logger: createLogger('failover-test', 'debug', { write: (line: string) => { lines.push(line); } }),
    });
    const tenantId = uniqueName('tn');
    const connectionId = uniqueName('cn');
    let valid = `refresh-1-${crypto.randomBytes(8).toString('hex')}`;
    await store.put(tenantId, connectionId, { clientId: 'client', clientSecret: 'client-secret-rotation', refreshToken: valid });

    let killDuringNextRefresh = true;
    const provider = await serve(async (req, res) => {
      const presented = new URLSearchParams(req.body).get('refresh_token');
      if (presented !== valid) return sendJson(res, 400, { error: 'invalid_grant' });
      valid = `refresh-${Date.now()}-${crypto.randomBytes(8).toString('hex')}`; // the old one is void from now on
      if (killDuringNextRefresh) {
        killDuringNextRefresh = false;
        await vaults.kill(vault);
      }
      sendJson(res, 200, { access_token: `access-${crypto.randomBytes(8).toString('hex')}`, refresh_token: valid, expires_in: 3600 });
    });
    const refresh = () => withScrubber(() => oauth2RefreshTokenAuth({
      system: 'rotating', tokenUrl: `${provider.url}/token`, connection: { tenantId, connectionId }, cache: new SingleFlightCache<AccessToken>(),
      credentials: async () => (await store.get(tenantId, connectionId))!,
      saveCredentials: (updated) => store.put(tenantId, connectionId, updated),
    }).token());

    // Rotation while Vault dies: the refresh succeeds and the new token is kept.
    expect((await refresh()).refreshToken).toBe(valid);
    expect((await store.get(tenantId, connectionId))?.refreshToken).toBe(valid);
    // Another rotation with Vault still down works from the kept token.
    expect((await refresh()).refreshToken).toBe(valid);
    expect((await postgres.get(tenantId, connectionId))?.refreshToken).toBe(valid);

    // Vault comes back empty (dev mode): the reconciler copies the latest token into it.
    await vaults.start();
    await new Promise((r) => setTimeout(r, 600)); // past the write breaker's cool-down
    const reconciled = await store.reconcile();
    expect(reconciled.failed).toBe(0);
    expect((await vaultStore.get(tenantId, connectionId))?.refreshToken).toBe(valid);

    // A stale write that lands in Vault late is recognised (a newer Vault version) and never served.
    await vaultStore.put(tenantId, connectionId, { clientId: 'client', clientSecret: 'client-secret-rotation', refreshToken: 'stale-late-write' });
    expect((await store.get(tenantId, connectionId))?.refreshToken).toBe(valid);
    expect((await vaultStore.get(tenantId, connectionId))?.refreshToken).toBe(valid);
    expect(lines.join('\n')).not.toContain(valid);
    store.close();
  });
});

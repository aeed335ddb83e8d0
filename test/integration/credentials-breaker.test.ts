import crypto from 'node:crypto';
import net from 'node:net';
import type { Pool } from 'pg';
import { CircuitBreaker, CircuitOpenError } from '../../src/platform/credentials/circuit-breaker';
import { FailoverCredentialStore } from '../../src/platform/credentials/failover';
import { readMasterKey } from '../../src/platform/credentials/master-key';
import { PostgresCredentialStore } from '../../src/platform/credentials/postgres';
import { VaultCredentialStore } from '../../src/platform/credentials/vault';
import { createPool } from '../../src/platform/db/pool';
import { createLogger } from '../../src/platform/logger';
import { testStack, uniqueName } from '../helpers/stack';

class ManualClock {
  value = 1_000_000;
  now = (): number => this.value;
  advance(ms: number): void { this.value += ms; }
}

const fail = () => Promise.reject(new Error('boom'));
const succeed = () => Promise.resolve('ok');

describe('CircuitBreaker', () => {
  it('opens on a failure, fails fast while open, and lets exactly one probe through after the cool-down', async () => {
    const clock = new ManualClock();
    const transitions: string[] = [];
    const breaker = new CircuitBreaker({ coolDownMs: 1000, now: clock.now, onStateChange: (f, t) => transitions.push(`${f}>${t}`) });

    await expect(breaker.execute(fail)).rejects.toThrow('boom');
    expect(breaker.state).toBe('open');
    const guarded = jest.fn(succeed);
    await expect(breaker.execute(guarded)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(guarded).not.toHaveBeenCalled();

    clock.advance(1000);
    expect(breaker.state).toBe('half-open');
    let releaseProbe!: () => void;
    const probe = breaker.execute(() => new Promise<string>((resolve) => { releaseProbe = () => resolve('probe'); }));
    await expect(breaker.execute(guarded)).rejects.toBeInstanceOf(CircuitOpenError); // one probe at a time
    releaseProbe();
    await expect(probe).resolves.toBe('probe');
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(guarded)).resolves.toBe('ok');
    expect(transitions).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
  });

  it('reopens for a whole new cool-down when the probe fails', async () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ coolDownMs: 1000, now: clock.now });
    await expect(breaker.execute(fail)).rejects.toThrow('boom');
    clock.advance(1500);
    await expect(breaker.execute(fail)).rejects.toThrow('boom');
    expect(breaker.state).toBe('open');
    clock.advance(999);
    await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(1);
    await expect(breaker.execute(succeed)).resolves.toBe('ok');
    expect(breaker.status()).toMatchObject({ state: 'closed', consecutiveFailures: 0, lastFailure: { message: 'boom' } });
  });

  it('waits for failureThreshold consecutive failures, and a success resets the count', async () => {
    const breaker = new CircuitBreaker({ coolDownMs: 1000, failureThreshold: 3 });
    await expect(breaker.execute(fail)).rejects.toThrow();
    await expect(breaker.execute(fail)).rejects.toThrow();
    await breaker.execute(succeed);
    await expect(breaker.execute(fail)).rejects.toThrow();
    await expect(breaker.execute(fail)).rejects.toThrow();
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(fail)).rejects.toThrow();
    expect(breaker.state).toBe('open');
  });
});

/** A TCP server that accepts connections and never answers: the worst kind of Vault outage. */
async function startBlackHole(): Promise<{ address: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

describe('FailoverCredentialStore when Vault hangs (real Postgres, a TCP black hole for Vault)', () => {
  const stack = testStack();
  const READ_TIMEOUT_MS = 300;
  let pool: Pool;
  let postgres: PostgresCredentialStore;
  let blackHole: Awaited<ReturnType<typeof startBlackHole>>;

  beforeAll(async () => {
    pool = createPool(stack.databaseUrl, 4);
    postgres = new PostgresCredentialStore({ pool, masterKey: readMasterKey(stack.masterKeyFile) });
    blackHole = await startBlackHole();
  });
  afterAll(async () => {
    await blackHole.close();
    await pool.end();
  });

  function storeWithHangingVault(clock: ManualClock) {
    const lines: string[] = [];
    const vault = new VaultCredentialStore({ address: blackHole.address, token: `hanging-${crypto.randomBytes(8).toString('hex')}` });
    const store = new FailoverCredentialStore(vault, postgres, {
      vaultReadTimeoutMs: READ_TIMEOUT_MS, vaultWriteTimeoutMs: 400, coolDownMs: 5000, now: clock.now,
      logger: createLogger('credentials-test', 'debug', { write: (line: string) => { lines.push(line); } }),
    });
    return { store, vault, lines, vaultGets: jest.spyOn(vault, 'getVersioned') };
  }

  it('pays three read timeouts for 50 sequential gets, then one probe per cool-down', async () => {
    const clock = new ManualClock();
    const { store, vaultGets, lines } = storeWithHangingVault(clock);
    const tenant = uniqueName('tenant');
    const secret = `canary-${crypto.randomBytes(12).toString('hex')}`;
    const revision = await postgres.putRevision(tenant, 'conn', { apiKey: secret });
    await postgres.markVaultSynced(tenant, 'conn', revision, 1); // as if Vault had taken it: reads ask Vault

    const started = performance.now();
    for (let i = 0; i < 50; i++) expect(await store.get(tenant, 'conn')).toEqual({ apiKey: secret });
    const elapsed = performance.now() - started;
    console.info(`50 gets with Vault hanging: ${Math.round(elapsed)} ms (read timeout ${READ_TIMEOUT_MS} ms; without a breaker ≥ ${50 * READ_TIMEOUT_MS} ms)`);

    expect(vaultGets).toHaveBeenCalledTimes(3); // three consecutive failures open the read breaker
    expect(elapsed).toBeGreaterThanOrEqual(3 * READ_TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(READ_TIMEOUT_MS * 6 + 2500);
    expect(store.status().vault.breaker.state).toBe('open');
    expect(store.status().lastError?.message).toMatch(/timed out after 300 ms|ECONNABORTED|ETIMEDOUT/);

    clock.advance(5000);
    expect(store.status().vault.breaker.state).toBe('half-open');
    expect(await store.get(tenant, 'conn')).toEqual({ apiKey: secret }); // the probe: one more timeout
    expect(vaultGets).toHaveBeenCalledTimes(4);
    expect(store.status().vault.breaker.state).toBe('open');
    await store.get(tenant, 'conn');
    expect(vaultGets).toHaveBeenCalledTimes(4);
    expect(store.status().vault.writes.state).toBe('closed'); // slow reads never block writes

    const warnings = lines.filter((l) => l.includes('Vault is failing'));
    expect(warnings).toHaveLength(1); // once per outage, not once per call or per probe
    expect(lines.join('\n')).not.toContain(secret);
    expect(JSON.stringify(store.status())).not.toContain(secret);
  });

  it('a put while Vault hangs is done: Postgres keeps it, and the error of the slow Vault is only logged', async () => {
    const clock = new ManualClock();
    const { store, lines } = storeWithHangingVault(clock);
    const tenant = uniqueName('tenant');
    await postgres.put(tenant, 'conn', { apiKey: 'the-old-value' });
    const secret = `canary-${crypto.randomBytes(12).toString('hex')}`;

    await store.put(tenant, 'conn', { apiKey: secret });
    expect(await postgres.get(tenant, 'conn')).toEqual({ apiKey: secret });
    expect(await postgres.replicationState(tenant, 'conn')).toMatchObject({ vaultRevision: null }); // Vault is behind: reconciled later
    expect(store.status().lastError?.message).toMatch(/timed out after 400 ms|ECONNABORTED|ETIMEDOUT/);
    expect(lines.join('\n')).toContain('kept in Postgres and copied into Vault later');
    expect(lines.join('\n')).not.toContain(secret);
    expect(JSON.stringify(store.status())).not.toContain(secret);
    store.close();
  });
});

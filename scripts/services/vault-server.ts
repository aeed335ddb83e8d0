import crypto from 'node:crypto';
import path from 'node:path';
import { startProcess, untilReady, type ManagedProcess } from './child';
import { freePort } from './free-port';

export interface VaultDevServer {
  address: string;
  token: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

async function waitUntilUnsealed(address: string, timeoutMs: number, proc: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && proc.running()) {
    try {
      const res = await fetch(`${address}/v1/sys/health`);
      if (res.status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Vault at ${address} was not unsealed within ${timeoutMs} ms`);
}

/** Starts Vault in dev mode on 127.0.0.1 (in-memory, KV v2 at secret/), with a random root token. */
export async function startVaultDevServer(opts: { binary: string; logDir: string; port?: number; token?: string }):
  Promise<VaultDevServer> {
  const port = opts.port ?? await freePort();
  const token = opts.token ?? `forge-dev-${crypto.randomBytes(16).toString('hex')}`;
  // The root token goes in the environment (OpenBao reads BAO_, Vault VAULT_), not the command line
  // that `ps` shows; and stdout, where dev mode prints it in a banner, is not logged (stderr is).
  const proc = startProcess('vault', opts.binary,
    ['server', '-dev', `-dev-listen-address=127.0.0.1:${port}`, '-dev-no-store-token'],
    path.join(opts.logDir, `vault-${port}.log`), { ...process.env, BAO_DEV_ROOT_TOKEN_ID: token, VAULT_DEV_ROOT_TOKEN_ID: token },
    { discardStdout: true });
  const address = `http://127.0.0.1:${port}`;
  try {
    await untilReady(proc, waitUntilUnsealed(address, 30000, proc));
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { address, token, process: proc, stop: () => proc.stop() };
}

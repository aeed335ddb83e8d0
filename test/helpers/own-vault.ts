import crypto from 'node:crypto';
import { freePort } from '../../scripts/services/free-port';
import { startVaultDevServer, type VaultDevServer } from '../../scripts/services/vault-server';
import type { StackInfo } from '../../scripts/services/stack';

/**
 * A Vault dev server of a test's own (not the shared stack's), on one port and token for the whole
 * describe, so a test can kill it and start it again at the same address. Call `stopAll` in
 * afterAll: every server it started is stopped.
 */
export interface OwnVault {
  readonly token: string;
  /** Starts a server (the first, or a new one after a kill) on the describe's port. */
  start(): Promise<VaultDevServer>;
  /** SIGKILL to the server's process group (it is started detached): an outage with no goodbye. */
  kill(server: VaultDevServer): Promise<void>;
  /** The server started last. */
  latest(): VaultDevServer;
  stopAll(): Promise<void>;
}

export function ownVault(stack: StackInfo): OwnVault {
  const token = `forge-test-${crypto.randomBytes(12).toString('hex')}`;
  const servers: VaultDevServer[] = [];
  let port: number | undefined;
  return {
    token,
    async start() {
      port ??= await freePort();
      const server = await startVaultDevServer({ binary: stack.vaultBinary!, logDir: stack.workDir, port, token });
      servers.push(server);
      return server;
    },
    async kill(server) {
      const exited = new Promise((resolve) => server.process.child.once('exit', resolve));
      process.kill(-server.process.child.pid!, 'SIGKILL');
      await exited;
    },
    latest() {
      const server = servers.at(-1);
      if (!server) throw new Error('ownVault: no server started yet');
      return server;
    },
    async stopAll() {
      for (const server of servers) await server.stop().catch(() => {});
    },
  };
}

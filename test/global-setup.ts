import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, type RunningStack } from '../scripts/services/stack';

/** Starts what the suite needs once, on free ports in a private directory, so runs never collide. */
export default async function globalSetup(): Promise<void> {
  process.env.LOG_LEVEL ??= 'error'; // test output stays readable: retried activity failures are expected in many tests
  // Sandboxes listen on 127.0.0.1: connectors may reach it in tests (and nothing else private).
  process.env.FORGE_EGRESS_ALLOW ??= '127.0.0.1';
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-test-'));
  fs.chmodSync(workDir, 0o755); // the embedded postgres may run as the `postgres` user
  const started = Date.now();
  const stack = await startStack({
    purpose: 'test',
    workDir,
    pgDataDir: path.join(workDir, 'pg'),
    masterKeyFile: path.join(workDir, 'keys', 'master.key'),
    temporalUiPort: null,
    log: (m) => process.stderr.write(`[test stack] ${m}\n`),
  });
  const stackFile = path.join(workDir, 'stack.json');
  fs.writeFileSync(stackFile, JSON.stringify(stack.info, null, 2), { mode: 0o600 });
  process.env.FORGE_TEST_STACK = stackFile;
  (globalThis as { __forgeStack?: RunningStack }).__forgeStack = stack;
  process.stderr.write(`\n[test stack] Temporal ${stack.info.temporalAddress}, Postgres ${stack.postgres.embedded ? 'embedded' : 'external'}, ` +
    `Vault ${stack.info.vault.address ?? `unavailable: ${'reason' in stack.info.vault ? stack.info.vault.reason : ''}`} ` +
    `(up in ${Date.now() - started} ms; logs in ${workDir})\n`);
}

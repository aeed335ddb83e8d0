import fs from 'node:fs';
import { startVaultDevServer } from '../../scripts/services/vault-server';
import { testStack } from '../helpers/stack';

// The dev server's root token is a secret: it must work, and appear neither on the command line
// (`ps` shows it to every user) nor in the log file.
describe('the Vault-API dev server started by npm run dev and the test stack', () => {
  const binary = testStack().vaultBinary;
  (binary ? it : it.skip)('takes its root token from the environment, and logs it nowhere', async () => {
    const server = await startVaultDevServer({ binary: binary!, logDir: testStack().workDir, token: 'canary-root-token-3c9e1f0a7b' });
    try {
      const res = await fetch(`${server.address}/v1/auth/token/lookup-self`, { headers: { 'X-Vault-Token': server.token } });
      expect(res.status).toBe(200);
      expect(fs.readFileSync(`/proc/${server.process.child.pid}/cmdline`, 'utf8')).not.toContain(server.token);
      const log = fs.readFileSync(server.process.logFile, 'utf8');
      expect(log).toMatch(/core: root token generated|vault server started|OpenBao server started/i); // it does log
      expect(log).not.toContain(server.token);
    } finally {
      await server.stop();
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../scripts/services/stack';
import { benchCapture } from './capture';
import { benchLoad } from './load';

/** `npm run bench`: starts the same private stack as the tests, then runs each benchmark. */
async function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-bench-'));
  fs.chmodSync(workDir, 0o755);
  process.env.LOG_LEVEL ??= 'warn';
  const stack = await startStack({
    purpose: 'test', workDir, pgDataDir: path.join(workDir, 'pg'), masterKeyFile: path.join(workDir, 'keys', 'master.key'),
    temporalUiPort: null, log: (m) => process.stderr.write(`[bench stack] ${m}\n`),
  });
  const stackFile = path.join(workDir, 'stack.json');
  fs.writeFileSync(stackFile, JSON.stringify(stack.info), { mode: 0o600 });
  process.env.FORGE_TEST_STACK = stackFile;
  try {
    const only = process.argv[2];
    if (!only || only === 'load') await benchLoad();
    if (!only || only === 'capture') await benchCapture();
  } finally {
    await stack.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});

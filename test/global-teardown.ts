import fs from 'node:fs';
import type { RunningStack } from '../scripts/services/stack';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __forgeStack?: RunningStack }).__forgeStack;
  if (!stack) return;
  await stack.stop();
  if (!process.env.FORGE_KEEP_TEST_DIR) fs.rmSync(stack.info.workDir, { recursive: true, force: true });
}

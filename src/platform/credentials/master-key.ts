import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Creates a 32-byte random master key file with mode 0600 when it is missing. */
export function ensureMasterKeyFile(file: string): void {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
}

/** Reads the current master key (see readMasterKeyring), refusing a file that others can read. */
export function readMasterKey(file: string): Buffer {
  const ring = readMasterKeyring(file);
  return ring.keys.get(ring.currentVersion)!;
}

/** Every master key by version; new encryptions use `currentVersion` (the highest). */
export interface MasterKeyring {
  currentVersion: number;
  keys: ReadonlyMap<number, Buffer>;
}

/**
 * Reads the master key file as a keyring. A file holding one base64 key is version 1; after a
 * rotation it holds one `<version>:<base64>` line per key, the highest version current (older
 * lines stay until every row is re-encrypted: see rotate-master-key.ts).
 */
export function readMasterKeyring(file: string): MasterKeyring {
  const stat = fs.statSync(file);
  if ((stat.mode & 0o077) !== 0) {
    throw new Error(`master key file ${file} must not be readable by group or others (chmod 600 it)`);
  }
  return parseMasterKeyring(fs.readFileSync(file, 'utf8'), file);
}

export function parseMasterKeyring(text: string, file = 'the master key file'): MasterKeyring {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const keys = new Map<number, Buffer>();
  for (const line of lines) {
    const match = /^(?:(\d+):)?([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) throw new Error(`${file}: a line is neither a base64 key nor <version>:<base64 key>`);
    const version = match[1] === undefined ? 1 : Number(match[1]);
    if (!(version >= 1) || keys.has(version)) throw new Error(`${file}: key version ${match[1]} is invalid or repeated`);
    const key = Buffer.from(match[2], 'base64');
    if (key.length !== 32) throw new Error(`${file}: key version ${version} must hold 32 bytes, base64-encoded`);
    keys.set(version, key);
  }
  if (keys.size === 0) throw new Error(`${file} holds no key`);
  return { currentVersion: Math.max(...keys.keys()), keys };
}

/** Adds a fresh key as the next version (mode 0600 kept); returns the new version. */
export function addMasterKeyVersion(file: string): number {
  const ring = readMasterKeyring(file);
  const next = ring.currentVersion + 1;
  const lines = [...ring.keys].sort(([a], [b]) => a - b).map(([v, k]) => `${v}:${k.toString('base64')}`);
  lines.push(`${next}:${crypto.randomBytes(32).toString('base64')}`);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return next;
}

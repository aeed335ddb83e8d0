import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Creates a 32-byte random master key file with mode 0600 when it is missing. */
export function ensureMasterKeyFile(file: string): void {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
}

/** Reads the master key, refusing a file that others can read. */
export function readMasterKey(file: string): Buffer {
  const stat = fs.statSync(file);
  if ((stat.mode & 0o077) !== 0) {
    throw new Error(`master key file ${file} must not be readable by group or others (chmod 600 it)`);
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`master key file ${file} must hold 32 bytes, base64-encoded`);
  return key;
}

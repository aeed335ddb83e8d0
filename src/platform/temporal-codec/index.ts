import crypto from 'node:crypto';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { AppConfig } from '../config';
import { readMasterKeyring, type MasterKeyring } from '../credentials/master-key';
import { AesGcmPayloadCodec, type CodecKeyring } from './aes-gcm-codec';

export { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError, type CodecKeyring } from './aes-gcm-codec';

/** Loaded by path into the worker's workflow bundle and by clients. */
export const FAILURE_CONVERTER_PATH = path.join(__dirname, 'failure-converter');

const HKDF_SALT = Buffer.from('forgeworks/temporal-payload-codec/v1');

/**
 * The codec keys, derived from the master keyring (one per master key version), so the worker, the
 * gateway and the codec endpoint need no key file of their own. A key id names the version and a
 * fingerprint: `fw<version>-<8 hex>`.
 */
export function codecKeyringFrom(master: MasterKeyring): CodecKeyring {
  const keys = new Map<string, Buffer>();
  let currentKeyId = '';
  for (const [version, masterKey] of master.keys) {
    const key = Buffer.from(crypto.hkdfSync('sha256', masterKey, HKDF_SALT, 'forgeworks temporal payloads', 32));
    const id = `fw${version}-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    keys.set(id, key);
    if (version === master.currentVersion) currentKeyId = id;
  }
  return { currentKeyId, keys };
}

/** The codec for a master key file (re-read when a payload names a key id not known yet). */
export function codecFor(masterKeyFile: string): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(codecKeyringFrom(readMasterKeyring(masterKeyFile)), () => codecKeyringFrom(readMasterKeyring(masterKeyFile)));
}

/** The data converter every Temporal client and worker of this process uses (payloads and failures encrypted). */
export function temporalDataConverter(config: Pick<AppConfig, 'FORGE_MASTER_KEY_FILE'>): DataConverter {
  if (!config.FORGE_MASTER_KEY_FILE) throw new Error('FORGE_MASTER_KEY_FILE is not set: Temporal payloads are encrypted with a key derived from it');
  return {
    payloadCodecs: [codecFor(config.FORGE_MASTER_KEY_FILE)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}

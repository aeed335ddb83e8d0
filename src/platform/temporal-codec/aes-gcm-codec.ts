import crypto from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The keys a codec knows: new payloads use `current`; older ids stay decryptable after a rotation. */
export interface CodecKeyring {
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

/**
 * Encrypts every payload (inputs, results, signals, queries, memos, and failures' encoded
 * attributes) with AES-256-GCM, as Temporal's encryption sample does: the whole Payload proto is
 * the plaintext, a fresh 12-byte IV per payload, the key id in the metadata so keys can rotate.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  /** `reload` re-reads the keyring when a payload names a key id this process does not know (a rotation elsewhere). */
  constructor(private keyring: CodecKeyring, private readonly reload?: () => CodecKeyring) {
    for (const [id, key] of keyring.keys) if (key.length !== 32) throw new Error(`payload codec key ${id} must be 32 bytes`);
    if (!keyring.keys.has(keyring.currentKeyId)) throw new Error(`payload codec has no key ${keyring.currentKeyId}`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keyring.currentKeyId;
    const key = this.keyring.keys.get(keyId)!;
    return payloads.map((payload) => ({
      metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(keyId) },
      data: encrypt(Buffer.from(temporal.api.common.v1.Payload.encode(payload).finish()), key),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!payload.metadata || Buffer.from(payload.metadata[METADATA_ENCODING_KEY] ?? []).toString() !== ENCRYPTED_ENCODING) {
        return payload; // written before encryption was on: passed through as it is
      }
      const keyId = Buffer.from(payload.metadata[KEY_ID_METADATA] ?? []).toString();
      if (!this.keyring.keys.has(keyId) && this.reload) {
        try {
          this.keyring = { ...this.reload(), currentKeyId: this.keyring.currentKeyId };
        } catch {
          // reported below as an unknown key id
        }
      }
      const key = this.keyring.keys.get(keyId);
      if (!key) throw new PayloadDecryptionError(`no payload codec key with id "${keyId}"`);
      if (!payload.data) throw new PayloadDecryptionError('an encrypted payload without data');
      return temporal.api.common.v1.Payload.decode(decrypt(Buffer.from(payload.data), key)) as Payload;
    });
  }
}

function encrypt(plaintext: Buffer, key: Buffer): Buffer {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function decrypt(data: Buffer, key: Buffer): Buffer {
  if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('encrypted payload too short');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new PayloadDecryptionError('an encrypted payload failed authentication (altered, or another key)');
  }
}

import crypto from 'node:crypto';

/**
 * Tenant API keys: `fwk.<tenantId>.<43 chars of base64url>` (256 random bits). Only the SHA-256 of the
 * key is stored; with that much entropy a fast hash is enough (no dictionary to guess from). The
 * tenant id inside the key finds the one stored hash to compare, in constant time.
 */
const PREFIX = 'fwk';

export function newTenantId(): string {
  return `tn_${crypto.randomBytes(10).toString('hex')}`;
}

export function newApiKey(tenantId: string): string {
  return `${PREFIX}.${tenantId}.${crypto.randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(apiKey: string): string {
  return crypto.createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** The tenant id a key claims to belong to, or null when the key is not shaped like ours. */
export function tenantIdOfApiKey(apiKey: string): string | null {
  const parts = apiKey.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX || !/^tn_[0-9a-f]{20}$/.test(parts[1]) || parts[2].length < 32) return null;
  return parts[1];
}

/** Compares a presented secret with an expected SHA-256 hex digest without leaking where they differ. */
export function matchesHash(presented: string, expectedHashHex: string): boolean {
  const presentedHash = Buffer.from(hashApiKey(presented), 'hex');
  const expectedHash = Buffer.from(expectedHashHex, 'hex');
  return presentedHash.length === expectedHash.length && crypto.timingSafeEqual(presentedHash, expectedHash);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match ? match[1] : null;
}

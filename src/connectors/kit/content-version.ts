import { createHash } from 'node:crypto';

/**
 * A short digest of a record's content, for systems whose resources carry no modification stamp or
 * version: two reads of an unchanged record give the same digest (keys in any order).
 */
export function contentDigest(value: Record<string, unknown>): string {
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 22);
}

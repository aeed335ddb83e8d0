import { isConnectorError } from '../../platform/errors';
import type { ObjectSpec } from '../../platform/object-spec';
import type { Rec } from '../../platform/records';

/**
 * Version tokens (QuickBooks SyncToken, Dataverse ETag / If-Match): an update names the version it
 * changes, and a stale one is refused. A before-image's token is stale by the time a rollback
 * restores it (the load's own write moved it), so restores and retries re-read the current token.
 */
export const STALE_VERSION_ATTEMPTS = 3;

/** The record's version token, from the object's declared versionField. */
export function versionOf(spec: ObjectSpec, record: Rec | null | undefined): string | undefined {
  if (!spec.versionField || !record) return undefined;
  const value = record[spec.versionField];
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** A stale-version refusal: 412 Precondition Failed or any conflict; systems add their own codes. */
export function isStaleVersion(err: unknown, codes: string[] = []): boolean {
  if (!isConnectorError(err)) return false;
  return err.status === 412 || err.kind === 'conflict' || (err.code !== undefined && codes.includes(err.code));
}

/**
 * Runs `attempt` with the record's current version token, re-reading it after a stale-version
 * refusal, at most STALE_VERSION_ATTEMPTS times. The last refusal is thrown.
 */
export async function withCurrentVersion<T>(options: {
  readVersion(): Promise<string | undefined>;
  attempt(version: string | undefined): Promise<T>;
  isStale?: (err: unknown) => boolean;
  known?: string;
}): Promise<T> {
  const stale = options.isStale ?? ((err: unknown) => isStaleVersion(err));
  let version = options.known ?? await options.readVersion();
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.attempt(version);
    } catch (err) {
      if (attempt >= STALE_VERSION_ATTEMPTS || !stale(err)) throw err;
      version = await options.readVersion();
    }
  }
}

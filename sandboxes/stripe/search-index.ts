import type { HandlerContext, StoredRecord } from '../kit';
import type { Fields } from './resources';

/**
 * Stripe's search index trails writes (docs.stripe.com/search#data-freshness: "under normal
 * operating conditions, data is searchable in less than 1 minute"; longer during outages). The
 * sandbox keeps, per object written through the API, the versions a search may see and when each
 * becomes searchable (`lagMs` after its write); a search matches the newest version already
 * searchable: nothing for an object created within the lag, its previous state for one changed
 * within it. Seeded objects were indexed long ago. Hits are answered as the objects are now (an
 * object deleted since is not returned). The index is the sandbox's machinery, not Stripe data: it
 * is kept beside the state, not in it (ids are never reused, so a reset needs not clear it).
 */
export const DEFAULT_SEARCH_LAG_MS = 60_000;

interface IndexedVersion {
  searchableAtMs: number;
  fields: Fields | null;
}

export class SearchIndex {
  private readonly versions = new Map<string, IndexedVersion[]>();

  constructor(private readonly lagMs: number) {}

  /** A write reached the object: `after` becomes searchable `lagMs` from now; what was searchable before stays so until then. */
  write(ctx: Pick<HandlerContext, 'clock'>, collection: string, id: string, before: Fields | null, after: Fields | null): void {
    if (this.lagMs <= 0) return;
    const now = ctx.clock.nowMs();
    const key = `${collection}:${id}`;
    const known = this.versions.get(key) ?? [{ searchableAtMs: 0, fields: before }];
    const settled = known.filter((v) => v.searchableAtMs <= now).pop();
    this.versions.set(key, [...(settled ? [settled] : []), ...known.filter((v) => v.searchableAtMs > now), { searchableAtMs: now + this.lagMs, fields: after }]);
  }

  /** The object's fields as a search sees them now (null: not searchable yet, or no longer). */
  searchable(ctx: Pick<HandlerContext, 'clock'>, collection: string, record: StoredRecord): Fields | null {
    const versions = this.versions.get(`${collection}:${record.id}`);
    if (!versions) return record.archived ? null : record.fields;
    const now = ctx.clock.nowMs();
    return versions.filter((v) => v.searchableAtMs <= now).pop()?.fields ?? null;
  }
}

import { mapWithConcurrency } from '../../platform/concurrency';
import { ConnectorError } from '../../platform/errors';
import type { Key } from '../contract';
import { SYSTEM } from './auth';
import { ID_FIELD, WRITE_CONCURRENCY, type StripeObject } from './objects';
import { metadataKeyOf, type StripeEntity } from './records';
import type { StripeApi } from './stripe-api';

/**
 * How far back a lookup by metadata re-reads recent changes: Stripe's search index trails writes,
 * "under normal operating conditions ... in less than 1 minute" (docs.stripe.com/search, Data
 * freshness); twice that, for margin.
 */
export const SEARCH_LAG_SECONDS = 120;

export interface LookupOptions {
  /** The clock the search-lag window is measured on (ms since the epoch). */
  now?: () => number;
}

/**
 * Finding live objects by a natural key:
 * - `id`: GET /v1/{collection}/{id} (404 and `deleted: true` stubs are absent);
 * - `metadata.<key>`: the Search API (`metadata['<key>']:'<value>'`, every page), whose index can
 *   miss what changed in the last minute. So one pass over the Events API adds the objects of this
 *   type created, updated or deleted in the last SEARCH_LAG_SECONDS (immediately consistent), and
 *   those are re-read by id: an object created a second ago is found, one whose key changed or
 *   that was deleted a second ago is not. Within that window a lookup is read-after-write consistent;
 *   a longer index outage would make it miss (then the load's snapshot is wrong: see ObjectSpec notes);
 * - `email` (customers): GET /v1/customers?email= (exact, case-sensitive, immediately consistent).
 * Inactive prices are Stripe's archive of prices (they cannot be deleted): they read as absent, and a
 * price found by external id is the active one (the newest if several).
 */
export async function findAllLive(api: StripeApi, object: StripeObject, keyField: string, keys: Key[], options: LookupOptions = {}): Promise<Map<Key, StripeEntity | null>> {
  const unique = [...new Set(keys.map((k) => k.trim()))].filter((k) => k !== '');
  const search = metadataKeyOf(keyField) !== undefined && unique.length > 0 ? await recentSearch(api, object, keyField, options) : undefined;
  const found = await mapWithConcurrency(unique, WRITE_CONCURRENCY, (key) => findLive(api, object, keyField, key, search));
  const byKey = new Map(unique.map((key, i) => [key, found[i]]));
  return new Map(keys.map((key) => [key, byKey.get(key.trim()) ?? null]));
}

export async function findLive(api: StripeApi, object: StripeObject, keyField: string, key: Key, search?: RecentSearch): Promise<StripeEntity | null> {
  const value = key.trim();
  if (value === '') return null;
  if (keyField === ID_FIELD) return liveOnly(object, await api.retrieve(object.spec.name, value));
  const candidates = (await candidatesByKey(api, object, keyField, value, search)).filter((e) => liveOnly(object, e) !== null);
  if (candidates.length <= 1 || object.stripeType === 'price') {
    return candidates.sort((a, b) => Number(b.created ?? 0) - Number(a.created ?? 0))[0] ?? null;
  }
  throw new ConnectorError({
    kind: 'conflict', system: SYSTEM,
    fields: [{ field: keyField, message: `${candidates.length} ${object.spec.name} share ${keyField} ${value}: ${candidates.map((c) => c.id).join(', ')}` }],
    message: `stripe has ${candidates.length} ${object.spec.name} with ${keyField} = ${value} (${candidates.map((c) => c.id).join(', ')}): the key must be unique`,
  });
}

async function candidatesByKey(api: StripeApi, object: StripeObject, keyField: string, value: string, search?: RecentSearch): Promise<StripeEntity[]> {
  const metadataKey = metadataKeyOf(keyField);
  if (metadataKey !== undefined) {
    const recent = search ?? await recentSearch(api, object, keyField);
    return recent.find(value, object.stripeType === 'price' ? ` AND active:'true'` : '');
  }
  if (keyField === 'email' && object.stripeType === 'customer') return (await api.list('customers', { email: value }, 10)).data;
  throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `stripe ${object.spec.name} cannot be found by ${keyField} (keys: ${object.spec.naturalKeys.join(', ')})` });
}

/** Inactive prices matching `metadata.<key>` (for bringing an old price back), search lag included. */
export async function inactivePrices(api: StripeApi, object: StripeObject, keyField: string, value: string, options: LookupOptions = {}): Promise<StripeEntity[]> {
  if (metadataKeyOf(keyField) === undefined) return [];
  const found = await (await recentSearch(api, object, keyField, options)).find(value, ` AND active:'false'`);
  return found.filter((p) => p.active === false);
}

/** Searches by one metadata key, corrected for what changed within the search index's lag. */
export interface RecentSearch {
  find(value: string, extraClauses: string): Promise<StripeEntity[]>;
}

/**
 * Lists the events of the object's type from the last SEARCH_LAG_SECONDS once; each `find` then
 * searches, adds the recently changed objects whose metadata matched, and re-reads every recently
 * changed candidate by id (a search hit can be stale too), keeping those that match now.
 */
async function recentSearch(api: StripeApi, object: StripeObject, keyField: string, options: LookupOptions = {}): Promise<RecentSearch> {
  const metadataKey = metadataKeyOf(keyField)!;
  const since = Math.floor((options.now ?? Date.now)() / 1000) - SEARCH_LAG_SECONDS;
  const recent = await recentlyChanged(api, object, since);
  const matches = (e: StripeEntity | null, value: string) => {
    const metadata = e?.metadata as Record<string, unknown> | undefined;
    return e !== null && e.deleted !== true && metadata?.[metadataKey] === value;
  };
  return {
    async find(value, extraClauses) {
      const hits = await api.searchAll(object.spec.name, `metadata['${quote(metadataKey)}']:'${quote(value)}'${extraClauses}`);
      const ids = new Set([...hits.map((h) => h.id), ...[...recent.values()].filter((e) => matches(e, value)).map((e) => e.id)]);
      const current = await mapWithConcurrency([...ids], WRITE_CONCURRENCY, async (id) => (recent.has(id)
        ? api.retrieve(object.spec.name, id)
        : hits.find((h) => h.id === id) ?? null));
      return current.filter((e): e is StripeEntity => matches(e, value));
    },
  };
}

/** The objects of this type created, updated or deleted since `since` (unix seconds), by id, as their latest event shows them. */
async function recentlyChanged(api: StripeApi, object: StripeObject, since: number): Promise<Map<string, StripeEntity>> {
  const types = ['created', 'updated', 'deleted'].map((what) => `${object.stripeType}.${what}`);
  const latest = new Map<string, StripeEntity>();
  let startingAfter: string | undefined;
  for (;;) {
    const page = await api.events({ types, createdGte: since, startingAfter });
    for (const event of page.data) {
      const entity = event.data?.object;
      if (entity?.object === object.stripeType && !latest.has(entity.id)) latest.set(entity.id, entity);
    }
    const last = page.data[page.data.length - 1];
    if (!page.has_more || !last) return latest;
    if (last.id === startingAfter) throw new Error(`stripe events paging did not advance past ${last.id}`);
    startingAfter = last.id;
  }
}

function liveOnly(object: StripeObject, entity: StripeEntity | null): StripeEntity | null {
  if (!entity || entity.deleted === true) return null;
  if (object.stripeType === 'price' && entity.active === false) return null;
  return entity;
}

/** A value inside a single-quoted search string: quotes and backslashes escaped. */
function quote(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

import { mapWithConcurrency } from '../../platform/concurrency';
import { ConnectorError } from '../../platform/errors';
import type { Key } from '../contract';
import { SYSTEM } from './auth';
import { ID_FIELD, WRITE_CONCURRENCY, type StripeObject } from './objects';
import { metadataKeyOf, type StripeEntity } from './records';
import type { StripeApi } from './stripe-api';

/**
 * Finding live objects by a natural key:
 * - `id`: GET /v1/{collection}/{id} (404 and `deleted: true` stubs are absent);
 * - `metadata.<key>`: the Search API, `metadata['<key>']:'<value>'`. Stripe's search index trails
 *   writes (under a minute; docs.stripe.com/search "Data freshness"), which verify's read-back
 *   retries only partly absorb: prefer `id` (or a customer's `email`) where read-after-write matters;
 * - `email` (customers): GET /v1/customers?email= (exact, case-sensitive, immediately consistent).
 * Inactive prices are Stripe's archive of prices (they cannot be deleted): they read as absent, and a
 * price found by external id is the active one (the newest if several).
 */
export async function findLive(api: StripeApi, object: StripeObject, keyField: string, key: Key): Promise<StripeEntity | null> {
  const value = key.trim();
  if (value === '') return null;
  if (keyField === ID_FIELD) return liveOnly(object, await api.retrieve(object.spec.name, value));
  const candidates = (await candidatesByKey(api, object, keyField, value)).filter((e) => liveOnly(object, e) !== null);
  if (candidates.length <= 1 || object.stripeType === 'price') {
    return candidates.sort((a, b) => Number(b.created ?? 0) - Number(a.created ?? 0))[0] ?? null;
  }
  throw new ConnectorError({
    kind: 'conflict', system: SYSTEM,
    fields: [{ field: keyField, message: `${candidates.length} ${object.spec.name} share ${keyField} ${value}: ${candidates.map((c) => c.id).join(', ')}` }],
    message: `stripe has ${candidates.length} ${object.spec.name} with ${keyField} = ${value} (${candidates.map((c) => c.id).join(', ')}): the key must be unique`,
  });
}

export async function findAllLive(api: StripeApi, object: StripeObject, keyField: string, keys: Key[]): Promise<Map<Key, StripeEntity | null>> {
  const unique = [...new Set(keys)];
  const found = await mapWithConcurrency(unique, WRITE_CONCURRENCY, (key) => findLive(api, object, keyField, key));
  return new Map(unique.map((key, i) => [key, found[i]]));
}

async function candidatesByKey(api: StripeApi, object: StripeObject, keyField: string, value: string): Promise<StripeEntity[]> {
  const metadataKey = metadataKeyOf(keyField);
  if (metadataKey !== undefined) {
    const activeOnly = object.stripeType === 'price' ? ` AND active:'true'` : '';
    return (await api.search(object.spec.name, `metadata['${quote(metadataKey)}']:'${quote(value)}'${activeOnly}`, 10)).data;
  }
  if (keyField === 'email' && object.stripeType === 'customer') return (await api.list('customers', { email: value }, 10)).data;
  throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `stripe ${object.spec.name} cannot be found by ${keyField} (keys: ${object.spec.naturalKeys.join(', ')})` });
}

/** Inactive prices from the Search API (for bringing an old price back), matching `metadata.<key>`. */
export async function inactivePrices(api: StripeApi, keyField: string, value: string): Promise<StripeEntity[]> {
  const metadataKey = metadataKeyOf(keyField);
  if (metadataKey === undefined) return [];
  return (await api.search('prices', `metadata['${quote(metadataKey)}']:'${quote(value)}' AND active:'false'`)).data;
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

import { chunk } from '../../platform/batch-isolation';
import { mapWithConcurrency } from '../../platform/concurrency';
import { ConnectorError } from '../../platform/errors';
import type { Key, ObjectSpec, Rec } from '../contract';
import { keyNormaliser } from '../kit';
import { BULK_LIMIT, type Entity, type Resource, type ZendeskApi } from './api';
import { SYSTEM } from './auth';
import { ID } from './objects';
import { toRecord } from './records';

/** Lookups that take one request per key (search, the tickets filter) run this many at once. */
export const LOOKUP_CONCURRENCY = 5;

/**
 * Live records by natural key (deleted tickets and inactive users read as absent):
 * - id: show_many, 100 ids a call;
 * - users by external_id: show_many?external_ids=, 100 a call;
 * - users by email: users/search (email:...), one per key, LOOKUP_CONCURRENCY at once after the first alone;
 * - tickets by external_id: tickets?external_id=, one per key; two live tickets with one
 *   external id are a conflict naming the field.
 */
export async function readByKey(api: ZendeskApi, spec: ObjectSpec, keyField: string, keys: Key[]): Promise<Map<Key, Rec | null>> {
  const resource = spec.name as Resource;
  const normalise = keyNormaliser(spec, keyField);
  const wanted = [...new Set(keys.map(normalise).filter((k) => k !== ''))];
  const found = new Map<string, Entity>();
  const keep = (entity: Entity) => {
    const value = entity[keyField];
    if (isLive(resource, entity) && value !== null && value !== undefined) found.set(normalise(String(value)), entity);
  };
  if (keyField === ID || (keyField === 'external_id' && resource === 'users')) {
    for (const part of chunk(wanted, BULK_LIMIT)) (await api.showMany(resource, part, keyField === ID ? 'ids' : 'external_ids')).forEach(keep);
  } else if (keyField === 'email' && resource === 'users') {
    (await mapWithConcurrency(wanted, LOOKUP_CONCURRENCY, (email) => api.usersByEmail(email), { probeFirst: true })).flat().forEach(keep);
  } else if (keyField === 'external_id' && resource === 'tickets') {
    const lists = await mapWithConcurrency(wanted, LOOKUP_CONCURRENCY, (value) => api.ticketsByExternalId(value), { probeFirst: true });
    lists.forEach((tickets, i) => {
      const live = tickets.filter((t) => isLive(resource, t) && t.external_id === wanted[i]);
      if (live.length > 1) {
        throw new ConnectorError({
          kind: 'conflict', system: SYSTEM,
          fields: [{ field: keyField, message: `tickets ${live.map((t) => t.id).join(', ')} share external_id ${wanted[i]}` }],
          message: `zendesk has ${live.length} tickets with external_id ${wanted[i]}: Zendesk does not keep ticket external ids unique, a natural key must be`,
        });
      }
      live.forEach(keep);
    });
  } else {
    throw new ConnectorError({ kind: 'permanent', system: SYSTEM, fields: [{ field: 'naturalKey', message: `${spec.name} are found by ${spec.naturalKeys.join(', ')}` }], message: `zendesk ${spec.name} cannot be looked up by ${keyField}` });
  }
  return new Map(keys.map((key) => {
    const entity = found.get(normalise(key));
    return [key, entity ? toRecord(spec, entity) : null];
  }));
}

function isLive(resource: Resource, entity: Entity): boolean {
  return resource === 'users' ? entity.active !== false : entity.status !== 'deleted';
}

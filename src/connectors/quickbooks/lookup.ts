import { chunk } from '../../platform/batch-isolation';
import type { Key } from '../contract';
import { keyNormaliser } from '../kit';
import { QUERY_PAGE_SIZE, type QboApi } from './qbo-api';
import { BATCH_LIMIT, type QboObject } from './objects';
import type { Entity } from './records';

/**
 * Entities by natural key, through the query endpoint, 30 keys a query:
 *   select * from Customer where DisplayName in ('Ada', 'Bob') [and Active in (true, false)]
 * A query answers active name-list entries only unless it names Active ("Query operations and
 * syntax"), which is what a read wants (an inactive customer is QuickBooks' deleted one) and what a
 * write must not settle for (an inactive entry still holds its name).
 */
export interface KeyLookup {
  get(key: Key): Entity | undefined;
}

export async function findByKey(api: QboApi, target: QboObject, keyField: string, keys: Key[], options: { includeInactive: boolean }): Promise<KeyLookup> {
  const normalise = keyNormaliser(target.spec, keyField);
  const wanted = [...new Set(keys.map((k) => k.trim()).filter((k) => k !== ''))];
  const found = new Map<string, Entity>();
  const activeClause = options.includeInactive && target.removal === 'deactivate' ? ' and Active in (true, false)' : '';
  for (const part of chunk(wanted, BATCH_LIMIT)) {
    const statement = `select * from ${target.entity} where ${keyField} in (${part.map(quote).join(', ')})${activeClause} maxresults ${QUERY_PAGE_SIZE}`;
    const response = await api.query(statement);
    const entities = Array.isArray(response[target.entity]) ? response[target.entity] as Entity[] : [];
    for (const entity of entities) {
      const value = entity[keyField];
      if (value !== undefined && value !== null) found.set(normalise(String(value)), entity);
    }
  }
  return { get: (key) => found.get(normalise(key)) };
}

/** A string literal of the query language: single quotes, backslash escapes. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

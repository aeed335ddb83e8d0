import type { DestinationContract } from '../../connectors/contract';
import type { LoadRecordRow, LoadRow } from '../db/repositories/loads';
import { fieldAt, type ObjectSpec } from '../object-spec';
import type { Key, Rec } from '../records';

export interface ReadBackTarget {
  load: Pick<LoadRow, 'object' | 'naturalKey'>;
  spec: ObjectSpec;
  destination: DestinationContract;
  idField: string;
}

/**
 * Verify's read-back, keyed by natural key. When the system finds records by that key through a
 * search index that trails writes (FieldSpec.keyLookup 'search-index': Stripe's metadata search, up
 * to a minute), records are read by the id the write answered (or the snapshot found) instead: a
 * read by id cannot lag. Otherwise by natural key, as every other step reads.
 */
export async function readWritten(t: ReadBackTarget, rows: Array<Pick<LoadRecordRow, 'key' | 'systemId' | 'data'>>): Promise<Map<Key, Rec | null>> {
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r.data)))];
  const lags = fieldAt(t.spec, t.load.naturalKey)?.field.keyLookup === 'search-index';
  const byId = !lags || t.load.naturalKey === t.idField ? [] : rows.filter((r) => r.systemId);
  const byKey = rows.filter((r) => !byId.includes(r));
  const result = new Map<Key, Rec | null>();
  if (byKey.length > 0) {
    const read = await t.destination.read(t.load.object, t.load.naturalKey, [...new Set(byKey.map((r) => r.key))], fields);
    for (const r of byKey) result.set(r.key, read.get(r.key) ?? null);
  }
  if (byId.length > 0) {
    const read = await t.destination.read(t.load.object, t.idField, [...new Set(byId.map((r) => r.systemId!))], fields);
    for (const r of byId) result.set(r.key, read.get(r.systemId!) ?? null);
  }
  return result;
}

import type { DestinationContract } from '../../connectors/contract';
import type { LoadRecordRow, LoadRow } from '../db/repositories/loads';
import type { Key, Rec } from '../records';

export interface ReadBackTarget {
  load: Pick<LoadRow, 'object' | 'naturalKey'>;
  destination: DestinationContract;
  idField: string;
}

/**
 * Verify's read-back: by the id the write answered (or the snapshot found) where the record has
 * one, else by its natural key; keyed by natural key either way. A natural key that is found
 * through a search index (Stripe's metadata, HubSpot's search) can trail a write by up to a minute;
 * a read by id cannot.
 */
export async function readWritten(t: ReadBackTarget, rows: Array<Pick<LoadRecordRow, 'key' | 'systemId' | 'data'>>): Promise<Map<Key, Rec | null>> {
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r.data)))];
  const byId = t.load.naturalKey === t.idField ? [] : rows.filter((r) => r.systemId);
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

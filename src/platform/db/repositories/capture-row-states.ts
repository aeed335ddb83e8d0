import type { Pool } from 'pg';
import { inTransaction } from '../pool';

/**
 * The last captured state of a source without a change feed (migration capture-row-states): record
 * key -> fingerprint, by generation. See CaptureStateStore in src/connectors/contract.ts.
 */
export interface ConnectionRowStates {
  /** The state at `generation` (empty for 0); every other generation of the object is dropped. */
  load(object: string, generation: number): Promise<Map<string, string>>;
  /** Writes `state` as `generation` (replacing what an earlier, uncommitted attempt wrote there). */
  save(object: string, generation: number, state: Map<string, string>): Promise<void>;
}

const INSERT_CHUNK = 1000;

export class CaptureRowStatesRepository {
  constructor(private readonly pool: Pool) {}

  forConnection(tenantId: string, connectionId: string): ConnectionRowStates {
    const scope = [tenantId, connectionId];
    return {
      load: async (object, generation) => {
        await this.pool.query('DELETE FROM capture_row_states WHERE tenant_id = $1 AND connection_id = $2 AND object = $3 AND generation <> $4',
          [...scope, object, generation]);
        const { rows } = await this.pool.query<{ record_key: string; fingerprint: string }>(
          'SELECT record_key, fingerprint FROM capture_row_states WHERE tenant_id = $1 AND connection_id = $2 AND object = $3 AND generation = $4',
          [...scope, object, generation]);
        return new Map(rows.map((r) => [r.record_key, r.fingerprint]));
      },
      save: (object, generation, state) => inTransaction(this.pool, async (db) => {
        await db.query('DELETE FROM capture_row_states WHERE tenant_id = $1 AND connection_id = $2 AND object = $3 AND generation = $4',
          [...scope, object, generation]);
        const entries = [...state];
        for (let start = 0; start < entries.length; start += INSERT_CHUNK) {
          const chunk = entries.slice(start, start + INSERT_CHUNK);
          await db.query(
            `INSERT INTO capture_row_states (tenant_id, connection_id, object, generation, record_key, fingerprint)
             SELECT $1, $2, $3, $4, k, f FROM unnest($5::text[], $6::text[]) AS t(k, f)`,
            [...scope, object, generation, chunk.map(([k]) => k), chunk.map(([, f]) => f)]);
        }
      }),
    };
  }
}

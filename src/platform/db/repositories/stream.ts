import type { Pool, PoolClient } from 'pg';
import type { ChangeEvent, Rec } from '../../records';

export interface StreamEventRow {
  offset: number;
  connectionId: string;
  captureId: string;
  object: string;
  recordId: string;
  op: 'upsert' | 'delete';
  version: string;
  occurredAt: Date;
  data: Rec | null;
  capturedAt: Date;
}

export interface StreamOrigin {
  tenantId: string;
  connectionId: string;
  captureId: string;
}

export interface StreamQuery {
  tenantId: string;
  connectionId: string;
  object?: string;
  op?: 'upsert' | 'delete';
  /** Events whose record id contains this text. */
  recordIdContains?: string;
  /** Events with an offset strictly greater than this. */
  after: number;
  limit: number;
}

interface DbStreamEvent {
  offset: string;
  connection_id: string;
  capture_id: string;
  object: string;
  record_id: string;
  op: 'upsert' | 'delete';
  version: string;
  occurred_at: Date;
  data: Rec | null;
  captured_at: Date;
}

function toRow(r: DbStreamEvent): StreamEventRow {
  return {
    offset: Number(r.offset), connectionId: r.connection_id, captureId: r.capture_id, object: r.object, recordId: r.record_id,
    op: r.op, version: r.version, occurredAt: r.occurred_at, data: r.data, capturedAt: r.captured_at,
  };
}

/** Events per INSERT: well under Postgres's parameter and statement limits. */
const APPEND_SLICE = 2000;

/** The Stream: append-only, ordered by offset, deduplicated by (connection, object, record, version). */
export class StreamRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Appends changes in the order given, skipping any (connection, object, record, version) already
   * in the Stream. Call inside the poll's transaction: a per-connection advisory lock, held until
   * commit, makes offsets of one connection become visible in increasing order (a reader paging by
   * `after` never skips an offset that commits late). Returns how many events were new.
   */
  async append(db: PoolClient, origin: StreamOrigin, changes: ChangeEvent[]): Promise<number> {
    if (changes.length === 0) return 0;
    await db.query("SELECT pg_advisory_xact_lock(hashtextextended('stream:' || $1, 0))", [origin.connectionId]);
    let appended = 0;
    for (let start = 0; start < changes.length; start += APPEND_SLICE) {
      const slice = changes.slice(start, start + APPEND_SLICE);
      const { rowCount } = await db.query(
        `INSERT INTO stream_events (tenant_id, connection_id, capture_id, object, record_id, op, version, occurred_at, data)
         SELECT $1, $2, $3, c.object, c.record_id, c.op, c.version, c.occurred_at, c.data::jsonb
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
           WITH ORDINALITY AS c(object, record_id, op, version, occurred_at, data, position)
         ORDER BY c.position
         ON CONFLICT (connection_id, object, record_id, version) DO NOTHING`,
        [
          origin.tenantId, origin.connectionId, origin.captureId,
          slice.map((c) => c.object), slice.map((c) => c.recordId), slice.map((c) => c.op), slice.map((c) => c.version),
          slice.map((c) => c.occurredAt), slice.map((c) => (c.data === null ? null : JSON.stringify(c.data))),
        ],
      );
      appended += rowCount ?? 0;
    }
    return appended;
  }

  /**
   * One page of a tenant's stream for a connection (and object, change, record id), by offset;
   * `limit + 1` rows to tell if more exist.
   */
  async list(q: StreamQuery): Promise<StreamEventRow[]> {
    const contains = q.recordIdContains === undefined ? null : `%${q.recordIdContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const { rows } = await this.pool.query<DbStreamEvent>(
      `SELECT "offset", connection_id, capture_id, object, record_id, op, version, occurred_at, data, captured_at
       FROM stream_events
       WHERE tenant_id = $1 AND connection_id = $2 AND ($3::text IS NULL OR object = $3) AND "offset" > $4
         AND ($6::text IS NULL OR op = $6) AND ($7::text IS NULL OR record_id LIKE $7)
       ORDER BY "offset"
       LIMIT $5`,
      [q.tenantId, q.connectionId, q.object ?? null, q.after, q.limit + 1, q.op ?? null, contains],
    );
    return rows.map(toRow);
  }
}

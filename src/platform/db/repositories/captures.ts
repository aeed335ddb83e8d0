import type { Pool, PoolClient } from 'pg';

export const captureStatuses = ['running', 'paused', 'stopped'] as const;
export type CaptureStatus = (typeof captureStatuses)[number];

type Queryable = Pool | PoolClient;

/** What the last failed poll said, kept until a poll succeeds. */
export interface CaptureError {
  message: string;
  kind?: string;
  at: string;
}

export interface CaptureRow {
  id: string;
  tenantId: string;
  connectionId: string;
  connector: string;
  object: string;
  intervalSeconds: number;
  pollsPerRun: number;
  status: CaptureStatus;
  cursor: unknown;
  cursorVersion: number;
  lastPollAt: Date | null;
  lastError: CaptureError | null;
  eventsCaptured: number;
  createdAt: Date;
  stoppedAt: Date | null;
}

export type NewCapture = Pick<CaptureRow, 'id' | 'tenantId' | 'connectionId' | 'connector' | 'object' | 'intervalSeconds' | 'pollsPerRun'>;

interface DbCapture {
  id: string;
  tenant_id: string;
  connection_id: string;
  connector: string;
  object: string;
  interval_seconds: number;
  polls_per_run: number;
  status: CaptureStatus;
  cursor: unknown;
  cursor_version: string;
  last_poll_at: Date | null;
  last_error: CaptureError | null;
  events_captured: string;
  created_at: Date;
  stopped_at: Date | null;
}

const COLUMNS = `id, tenant_id, connection_id, connector, object, interval_seconds, polls_per_run, status, cursor,
  cursor_version, last_poll_at, last_error, events_captured, created_at, stopped_at`;

function toRow(r: DbCapture): CaptureRow {
  return {
    id: r.id, tenantId: r.tenant_id, connectionId: r.connection_id, connector: r.connector, object: r.object,
    intervalSeconds: r.interval_seconds, pollsPerRun: r.polls_per_run, status: r.status, cursor: r.cursor,
    cursorVersion: Number(r.cursor_version), lastPollAt: r.last_poll_at, lastError: r.last_error,
    eventsCaptured: Number(r.events_captured), createdAt: r.created_at, stoppedAt: r.stopped_at,
  };
}

/** Captures: their settings, status and cursor. A stopped capture never changes status again. */
export class CapturesRepository {
  constructor(private readonly pool: Pool) {}

  async insert(c: NewCapture): Promise<CaptureRow> {
    const { rows } = await this.pool.query<DbCapture>(
      `INSERT INTO captures (id, tenant_id, connection_id, connector, object, interval_seconds, polls_per_run)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [c.id, c.tenantId, c.connectionId, c.connector, c.object, c.intervalSeconds, c.pollsPerRun],
    );
    return toRow(rows[0]);
  }

  async find(id: string): Promise<CaptureRow | null> {
    const { rows } = await this.pool.query<DbCapture>(`SELECT ${COLUMNS} FROM captures WHERE id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async findForTenant(tenantId: string, id: string): Promise<CaptureRow | null> {
    const { rows } = await this.pool.query<DbCapture>(`SELECT ${COLUMNS} FROM captures WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** The tenant's captures, newest first. */
  async listForTenant(tenantId: string, limit: number): Promise<CaptureRow[]> {
    const { rows } = await this.pool.query<DbCapture>(
      `SELECT ${COLUMNS} FROM captures WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [tenantId, limit]);
    return rows.map(toRow);
  }

  /**
   * When the newest change each capture appended to the Stream happened: where its cursor stands,
   * in time, whatever shape the connector's cursor has. Captures with no events are absent.
   */
  async lastChangeAt(tenantId: string, ids: string[]): Promise<Map<string, Date>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.pool.query<{ id: string; occurred_at: Date }>(
      `SELECT c.id, e.occurred_at FROM captures c
       CROSS JOIN LATERAL (
         SELECT s.occurred_at FROM stream_events s
         WHERE s.tenant_id = c.tenant_id AND s.connection_id = c.connection_id AND s.object = c.object AND s.capture_id = c.id
         ORDER BY s."offset" DESC LIMIT 1
       ) e
       WHERE c.tenant_id = $1 AND c.id = ANY($2::text[])`,
      [tenantId, ids],
    );
    return new Map(rows.map((r) => [r.id, r.occurred_at]));
  }

  /** Locks the capture row until the transaction ends: one poll commits at a time per capture. */
  async lockForPoll(db: PoolClient, id: string): Promise<{ status: CaptureStatus; cursorVersion: number } | null> {
    const { rows } = await db.query<{ status: CaptureStatus; cursor_version: string }>(
      'SELECT status, cursor_version FROM captures WHERE id = $1 FOR UPDATE', [id],
    );
    return rows[0] ? { status: rows[0].status, cursorVersion: Number(rows[0].cursor_version) } : null;
  }

  /**
   * Moves the cursor after a successful poll, counts what it appended and clears the last error.
   * Answers the cursor's new version, as Postgres wrote it.
   */
  async advanceCursor(db: PoolClient, id: string, cursor: unknown, appended: number): Promise<number> {
    const { rows } = await db.query<{ cursor_version: string }>(
      `UPDATE captures SET cursor = $2::jsonb, cursor_version = cursor_version + 1, last_poll_at = now(),
         events_captured = events_captured + $3, last_error = NULL
       WHERE id = $1 RETURNING cursor_version`,
      [id, JSON.stringify(cursor ?? null), appended],
    );
    if (!rows[0]) throw new Error(`capture ${id} vanished while its poll held its row lock`);
    return Number(rows[0].cursor_version);
  }

  /**
   * Records a status (and the error that caused it, or null to clear it). A stopped capture stays
   * stopped: a late write from its workflow cannot bring it back.
   */
  async setStatus(id: string, status: CaptureStatus, error?: CaptureError | null, db: Queryable = this.pool): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE captures SET status = $2,
         last_error = CASE WHEN $3::boolean THEN $4::jsonb ELSE last_error END,
         stopped_at = CASE WHEN $2 = 'stopped' THEN now() ELSE stopped_at END
       WHERE id = $1 AND status <> 'stopped'`,
      [id, status, error !== undefined, error ? JSON.stringify(error) : null],
    );
    return (rowCount ?? 0) > 0;
  }

  /** A failed poll that did not change the status: the error is kept for GET /v1/captures/:id. */
  async recordError(id: string, error: CaptureError): Promise<void> {
    await this.pool.query('UPDATE captures SET last_error = $2::jsonb, last_poll_at = now() WHERE id = $1', [id, JSON.stringify(error)]);
  }
}

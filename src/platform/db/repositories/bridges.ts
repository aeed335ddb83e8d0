import type { Pool, PoolClient } from 'pg';

export const bridgeSides = ['slack', 'teams'] as const;
export type BridgeSide = (typeof bridgeSides)[number];
export const bridgeStatuses = ['running', 'paused', 'stopped'] as const;
export type BridgeStatus = (typeof bridgeStatuses)[number];
export type CopyState = 'reserved' | 'copied' | 'deleted' | 'failed';

type Queryable = Pool | PoolClient;

export function otherSide(side: BridgeSide): BridgeSide {
  return side === 'slack' ? 'teams' : 'slack';
}

export interface BridgeError {
  message: string;
  kind?: string;
  at: string;
}

export interface BridgeRow {
  id: string;
  tenantId: string;
  slackConnectionId: string;
  slackChannel: string;
  teamsConnectionId: string;
  /** `<teamId>/<channelId>` */
  teamsChannel: string;
  intervalSeconds: number;
  status: BridgeStatus;
  cursors: Record<BridgeSide, unknown>;
  cursorVersions: Record<BridgeSide, number>;
  lastSyncAt: Date | null;
  lastError: BridgeError | null;
  createdAt: Date;
  stoppedAt: Date | null;
}

export type NewBridge = Pick<BridgeRow, 'id' | 'tenantId' | 'slackConnectionId' | 'slackChannel' | 'teamsConnectionId' | 'teamsChannel' | 'intervalSeconds'>;

export interface CopyRow {
  originSide: BridgeSide;
  originId: string;
  copySide: BridgeSide;
  copyId: string | null;
  state: CopyState;
  appliedAt: string | null;
  appliedVersion: string | null;
  handledVersion: string | null;
  error: unknown;
  /** When the row was made (reserved): a copy an attempt posted for it was posted shortly after. */
  reservedAt: string;
}

interface DbBridge {
  id: string;
  tenant_id: string;
  slack_connection_id: string;
  slack_channel: string;
  teams_connection_id: string;
  teams_channel: string;
  interval_seconds: number;
  status: BridgeStatus;
  slack_cursor: unknown;
  slack_cursor_version: string;
  teams_cursor: unknown;
  teams_cursor_version: string;
  last_sync_at: Date | null;
  last_error: BridgeError | null;
  created_at: Date;
  stopped_at: Date | null;
}

interface DbCopy {
  origin_side: BridgeSide;
  origin_id: string;
  copy_side: BridgeSide;
  copy_id: string | null;
  state: CopyState;
  applied_at: string | null;
  applied_version: string | null;
  handled_version: string | null;
  error: unknown;
  created_at: Date;
}

const COLUMNS = `id, tenant_id, slack_connection_id, slack_channel, teams_connection_id, teams_channel, interval_seconds, status,
  slack_cursor, slack_cursor_version, teams_cursor, teams_cursor_version, last_sync_at, last_error, created_at, stopped_at`;
const COPY_COLUMNS = 'origin_side, origin_id, copy_side, copy_id, state, applied_at, applied_version, handled_version, error, created_at';

function toRow(r: DbBridge): BridgeRow {
  return {
    id: r.id, tenantId: r.tenant_id, slackConnectionId: r.slack_connection_id, slackChannel: r.slack_channel,
    teamsConnectionId: r.teams_connection_id, teamsChannel: r.teams_channel, intervalSeconds: r.interval_seconds, status: r.status,
    cursors: { slack: r.slack_cursor, teams: r.teams_cursor },
    cursorVersions: { slack: Number(r.slack_cursor_version), teams: Number(r.teams_cursor_version) },
    lastSyncAt: r.last_sync_at, lastError: r.last_error, createdAt: r.created_at, stoppedAt: r.stopped_at,
  };
}

function toCopy(r: DbCopy): CopyRow {
  return {
    originSide: r.origin_side, originId: r.origin_id, copySide: r.copy_side, copyId: r.copy_id, state: r.state,
    appliedAt: r.applied_at, appliedVersion: r.applied_version, handledVersion: r.handled_version, error: r.error,
    reservedAt: r.created_at.toISOString(),
  };
}

/** Column names are chosen here from a closed set, never from input. */
const cursorColumn = (side: BridgeSide) => (side === 'slack' ? 'slack_cursor' : 'teams_cursor');

/** Bridges (settings, status, a cursor per side) and their copy mapping (bridge_copies). */
export class BridgesRepository {
  constructor(private readonly pool: Pool) {}

  async insert(b: NewBridge): Promise<BridgeRow> {
    const { rows } = await this.pool.query<DbBridge>(
      `INSERT INTO bridges (id, tenant_id, slack_connection_id, slack_channel, teams_connection_id, teams_channel, interval_seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [b.id, b.tenantId, b.slackConnectionId, b.slackChannel, b.teamsConnectionId, b.teamsChannel, b.intervalSeconds],
    );
    return toRow(rows[0]);
  }

  async find(id: string, db: Queryable = this.pool): Promise<BridgeRow | null> {
    const { rows } = await db.query<DbBridge>(`SELECT ${COLUMNS} FROM bridges WHERE id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async findForTenant(tenantId: string, id: string): Promise<BridgeRow | null> {
    const { rows } = await this.pool.query<DbBridge>(`SELECT ${COLUMNS} FROM bridges WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** The tenant's bridges, newest first. */
  async listForTenant(tenantId: string, limit: number): Promise<BridgeRow[]> {
    const { rows } = await this.pool.query<DbBridge>(
      `SELECT ${COLUMNS} FROM bridges WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [tenantId, limit]);
    return rows.map(toRow);
  }

  /** Locks the bridge row until the transaction ends; its status and the side's cursor version. */
  async lockSide(db: PoolClient, id: string, side: BridgeSide): Promise<{ status: BridgeStatus; cursorVersion: number } | null> {
    const { rows } = await db.query<{ status: BridgeStatus; v: string }>(
      `SELECT status, ${cursorColumn(side)}_version AS v FROM bridges WHERE id = $1 FOR UPDATE`, [id],
    );
    return rows[0] ? { status: rows[0].status, cursorVersion: Number(rows[0].v) } : null;
  }

  async advanceCursor(db: PoolClient, id: string, side: BridgeSide, cursor: unknown): Promise<void> {
    const col = cursorColumn(side);
    await db.query(
      `UPDATE bridges SET ${col} = $2::jsonb, ${col}_version = ${col}_version + 1, last_sync_at = now(), last_error = NULL WHERE id = $1`,
      [id, JSON.stringify(cursor ?? null)],
    );
  }

  /** A stopped bridge stays stopped: a late write from its workflow cannot bring it back. */
  async setStatus(id: string, status: BridgeStatus, error?: BridgeError | null, db: Queryable = this.pool): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE bridges SET status = $2,
         last_error = CASE WHEN $3::boolean THEN $4::jsonb ELSE last_error END,
         stopped_at = CASE WHEN $2 = 'stopped' THEN now() ELSE stopped_at END
       WHERE id = $1 AND status <> 'stopped'`,
      [id, status, error !== undefined, error ? JSON.stringify(error) : null],
    );
    return (rowCount ?? 0) > 0;
  }

  async recordError(id: string, error: BridgeError): Promise<void> {
    await this.pool.query('UPDATE bridges SET last_error = $2::jsonb, last_sync_at = now() WHERE id = $1', [id, JSON.stringify(error)]);
  }

  // ---- the copy mapping ----

  async copyByOrigin(db: Queryable, bridgeId: string, side: BridgeSide, originId: string): Promise<CopyRow | null> {
    const { rows } = await db.query<DbCopy>(
      `SELECT ${COPY_COLUMNS} FROM bridge_copies WHERE bridge_id = $1 AND origin_side = $2 AND origin_id = $3`, [bridgeId, side, originId],
    );
    return rows[0] ? toCopy(rows[0]) : null;
  }

  async copyByCopyId(db: Queryable, bridgeId: string, side: BridgeSide, copyId: string): Promise<CopyRow | null> {
    const { rows } = await db.query<DbCopy>(
      `SELECT ${COPY_COLUMNS} FROM bridge_copies WHERE bridge_id = $1 AND copy_side = $2 AND copy_id = $3`, [bridgeId, side, copyId],
    );
    return rows[0] ? toCopy(rows[0]) : null;
  }

  /** Reserves the row of a copy about to be made (before anything is posted); the existing row when there is one. */
  async reserve(db: Queryable, bridgeId: string, originSide: BridgeSide, originId: string, state: CopyState = 'reserved'): Promise<CopyRow> {
    await db.query(
      `INSERT INTO bridge_copies (bridge_id, origin_side, origin_id, copy_side, state) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (bridge_id, origin_side, origin_id) DO NOTHING`,
      [bridgeId, originSide, originId, otherSide(originSide), state],
    );
    return (await this.copyByOrigin(db, bridgeId, originSide, originId))!;
  }

  /** Records where the copy is (its id on the other side) and what was applied. */
  async recordCopy(db: Queryable, bridgeId: string, originSide: BridgeSide, originId: string,
    patch: { copyId?: string | null; state: CopyState; appliedAt?: string; appliedVersion?: string; error?: unknown }): Promise<void> {
    await db.query(
      `UPDATE bridge_copies SET
         copy_id = CASE WHEN $4::boolean THEN $5 ELSE copy_id END, state = $6,
         applied_at = COALESCE($7, applied_at), applied_version = COALESCE($8, applied_version),
         error = $9::jsonb, updated_at = now()
       WHERE bridge_id = $1 AND origin_side = $2 AND origin_id = $3`,
      [bridgeId, originSide, originId, patch.copyId !== undefined, patch.copyId ?? null, patch.state,
        patch.appliedAt ?? null, patch.appliedVersion ?? null, patch.error === undefined ? null : JSON.stringify(patch.error)],
    );
  }

  /** Marks the changes of a page as handled (inside the cursor transaction). */
  async markHandled(db: PoolClient, bridgeId: string, originSide: BridgeSide, handled: Array<{ originId: string; version: string }>): Promise<void> {
    if (handled.length === 0) return;
    await db.query(
      `UPDATE bridge_copies c SET handled_version = h.version, updated_at = now()
       FROM unnest($3::text[], $4::text[]) AS h(origin_id, version)
       WHERE c.bridge_id = $1 AND c.origin_side = $2 AND c.origin_id = h.origin_id`,
      [bridgeId, originSide, handled.map((h) => h.originId), handled.map((h) => h.version)],
    );
  }

  /** Rows left reserved (an attempt died between a post and its record), oldest first. */
  async reserved(db: Queryable, bridgeId: string, originSide: BridgeSide, limit: number): Promise<CopyRow[]> {
    const { rows } = await db.query<DbCopy>(
      `SELECT ${COPY_COLUMNS} FROM bridge_copies WHERE bridge_id = $1 AND origin_side = $2 AND state = 'reserved' ORDER BY created_at LIMIT $3`,
      [bridgeId, originSide, limit],
    );
    return rows.map(toCopy);
  }

  async copies(bridgeId: string): Promise<CopyRow[]> {
    const { rows } = await this.pool.query<DbCopy>(`SELECT ${COPY_COLUMNS} FROM bridge_copies WHERE bridge_id = $1 ORDER BY created_at`, [bridgeId]);
    return rows.map(toCopy);
  }

  async copyCounts(bridgeId: string): Promise<Record<CopyState, number>> {
    const { rows } = await this.pool.query<{ state: CopyState; n: string }>(
      'SELECT state, count(*) AS n FROM bridge_copies WHERE bridge_id = $1 GROUP BY state', [bridgeId],
    );
    const out: Record<CopyState, number> = { reserved: 0, copied: 0, deleted: 0, failed: 0 };
    for (const r of rows) out[r.state] = Number(r.n);
    return out;
  }
}

import type { Pool } from 'pg';
import type { FieldError, Rec } from '../../records';
import { redactValue } from '../../credentials/redact';
import type { LoadSummary, RecordStatus } from './loads';

export type { RecordStatus };

/** What the load activities need of a load (the saga's inputs live here, not in history). */
export type LoadRow = Pick<LoadSummary, 'id' | 'tenantId' | 'connectionId' | 'connector' | 'object' | 'operation' | 'naturalKey' | 'options' | 'status'>
  & { chunkCount: number };

export interface LoadRecordRow {
  idx: number;
  key: string;
  data: Rec;
  snapshotTaken: boolean;
  existed: boolean | null;
  before: Rec | null;
  status: RecordStatus;
  systemId: string | null;
  verified: boolean;
}

/** One record's new state; only the fields given are changed. */
export interface RecordUpdate {
  idx: number;
  status?: RecordStatus;
  systemId?: string | null;
  verified?: boolean;
  errors?: FieldError[] | null;
  rollbackNote?: string | null;
  snapshot?: { existed: boolean; before: Rec | null };
  plan?: unknown;
}

export class LoadRecordsRepository {
  constructor(private readonly pool: Pool) {}

  async load(loadId: string): Promise<LoadRow> {
    const { rows } = await this.pool.query(
      `SELECT id, tenant_id, connection_id, connector, object, operation, natural_key, options, status, chunk_count
         FROM loads WHERE id = $1`, [loadId]);
    if (!rows[0]) throw new Error(`load ${loadId} does not exist`);
    const r = rows[0];
    return {
      id: r.id, tenantId: r.tenant_id, connectionId: r.connection_id, connector: r.connector, object: r.object,
      operation: r.operation, naturalKey: r.natural_key, options: r.options, status: r.status, chunkCount: r.chunk_count,
    };
  }

  async chunk(loadId: string, chunk: number): Promise<LoadRecordRow[]> {
    const { rows } = await this.pool.query(
      `SELECT idx, record_key, data, snapshot_taken, existed, before_image, status, system_id, verified
         FROM load_records WHERE load_id = $1 AND chunk = $2 ORDER BY idx`, [loadId, chunk]);
    return rows.map((r) => ({
      idx: r.idx, key: r.record_key, data: r.data, snapshotTaken: r.snapshot_taken, existed: r.existed,
      before: r.before_image, status: r.status, systemId: r.system_id, verified: r.verified,
    }));
  }

  /** Applies many record updates in one statement. */
  async update(loadId: string, updates: RecordUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const payload = updates.map((u) => ({
      idx: u.idx,
      status: u.status ?? null,
      set_system_id: 'systemId' in u, system_id: u.systemId ?? null,
      verified: u.verified ?? null,
      set_errors: 'errors' in u, errors: u.errors ? redactValue(u.errors) : null,
      set_note: 'rollbackNote' in u, rollback_note: u.rollbackNote ?? null,
      set_snapshot: !!u.snapshot, existed: u.snapshot?.existed ?? null, before_image: u.snapshot?.before ?? null,
      set_plan: 'plan' in u, plan: u.plan ?? null,
    }));
    await this.pool.query(
      `UPDATE load_records r SET
          status = COALESCE(u.status, r.status),
          system_id = CASE WHEN u.set_system_id THEN u.system_id ELSE r.system_id END,
          verified = COALESCE(u.verified, r.verified),
          errors = CASE WHEN u.set_errors THEN u.errors ELSE r.errors END,
          rollback_note = CASE WHEN u.set_note THEN u.rollback_note ELSE r.rollback_note END,
          snapshot_taken = r.snapshot_taken OR u.set_snapshot,
          existed = CASE WHEN u.set_snapshot THEN u.existed ELSE r.existed END,
          before_image = CASE WHEN u.set_snapshot THEN u.before_image ELSE r.before_image END,
          plan = CASE WHEN u.set_plan THEN u.plan ELSE r.plan END
        FROM jsonb_to_recordset($2::jsonb) AS u(idx int, status text, set_system_id boolean, system_id text,
          verified boolean, set_errors boolean, errors jsonb, set_note boolean, rollback_note text,
          set_snapshot boolean, existed boolean, before_image jsonb, set_plan boolean, plan jsonb)
       WHERE r.load_id = $1 AND r.idx = u.idx`,
      [loadId, JSON.stringify(payload)]);
  }

  /** Dead-letters failed records (content redacted); a retried activity adds nothing twice. */
  async deadLetter(load: LoadRow, kind: string, entries: Array<{ idx: number; key: string; errors: FieldError[]; record: Rec }>): Promise<void> {
    if (entries.length === 0) return;
    await this.pool.query(
      `INSERT INTO dead_letters (tenant_id, load_id, idx, record_key, kind, errors, record)
       SELECT $1, $2, e.idx, e.key, $3, e.errors, e.record FROM jsonb_to_recordset($4::jsonb)
         AS e(idx int, key text, errors jsonb, record jsonb)
       ON CONFLICT (load_id, idx, kind) DO NOTHING`,
      [load.tenantId, load.id, kind, JSON.stringify(redactValue(entries))]);
  }

  async setStatus(loadId: string, status: string, phase: string, opts: { error?: string; rollbackWindowSeconds?: number; started?: boolean; finished?: boolean }): Promise<void> {
    await this.pool.query(
      `UPDATE loads SET status = $2, phase = $3,
          error = COALESCE($4::jsonb, error),
          rollback_until = CASE WHEN $5::int IS NOT NULL THEN now() + make_interval(secs => $5::int) ELSE rollback_until END,
          started_at = CASE WHEN $6 THEN COALESCE(started_at, now()) ELSE started_at END,
          finished_at = CASE WHEN $7 THEN now() ELSE finished_at END
        WHERE id = $1`,
      [loadId, status, phase, opts.error ? JSON.stringify(redactValue({ message: opts.error })) : null,
        opts.rollbackWindowSeconds ?? null, !!opts.started, !!opts.finished]);
  }
}

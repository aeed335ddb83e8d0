import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { objectSpec, type ConnectorDefinition, type DestinationContract, type FieldError, type ObjectSpec, type Rec, type RecordResult } from '../src/connectors/contract';
import type { CredentialStore } from '../src/platform/credentials/store';
import { LoadRecordsRepository, type LoadRecordRow, type LoadRow, type RecordUpdate } from '../src/platform/db/repositories/load-records';
import { mismatches, restoreImage, writtenFields } from '../src/platform/load/compare';
import { planRecord } from '../src/platform/load/plan';
import { activityStep, openConnection } from './activity-step';

export interface LoadPlan {
  chunkCount: number;
  dryRun: boolean;
  verify: boolean;
  onError: 'rollback' | 'continue';
  rollbackWindowSeconds: number;
}

export interface ChunkCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  verified: number;
  mismatched: number;
}

const VERIFY_ATTEMPTS = 5;
const VERIFY_BACKOFF_MS = 250;

/** Stable across retries of one step of one record of one load, and different between steps. */
function idempotencyKey(loadId: string, record: { idx: number }, step: 'write' | 'restore' | 'recreate'): string {
  return `forge-${loadId}-${record.idx}-${step}`;
}

function counts(partial: Partial<ChunkCounts> = {}): ChunkCounts {
  return { created: 0, updated: 0, deleted: 0, unchanged: 0, failed: 0, verified: 0, mismatched: 0, ...partial };
}

interface Target {
  load: LoadRow;
  def: ConnectorDefinition;
  spec: ObjectSpec;
  destination: DestinationContract;
  /** The object's own id field: what a rollback addresses records by once it knows their ids. */
  idField: string;
}

/**
 * Thin adapters from the load workflow to the connector and Postgres. Each is idempotent: what a
 * step did is recorded per record, so a retry (or a restarted worker) resumes where it stopped.
 */
export function createLoadActivities(deps: { pool: Pool; credentials: CredentialStore }) {
  const repo = new LoadRecordsRepository(deps.pool);

  async function target(loadId: string): Promise<Target> {
    const load = await repo.load(loadId);
    const { def, ctx } = await openConnection(deps, load);
    const spec = objectSpec(def, load.object);
    if (!spec) throw new Error(`${load.connector} has no object ${load.object}`);
    return { load, def, spec, destination: def.destination(ctx), idField: spec.naturalKeys[0] };
  }

  const step = activityStep;

  async function readCurrent(t: Target, rows: LoadRecordRow[]): Promise<Map<string, Rec | null>> {
    const fields = [...new Set(rows.flatMap((r) => Object.keys(r.data)))];
    return t.destination.read(t.load.object, t.load.naturalKey, [...new Set(rows.map((r) => r.key))], fields);
  }

  function fieldsOf(t: Target, row: LoadRecordRow): string[] {
    return writtenFields(row.data, t.spec);
  }

  function idOf(t: Target, rec: Rec | null | undefined): string | null {
    const id = rec?.[t.idField] ?? rec?.id;
    return id === undefined || id === null ? null : String(id);
  }

  async function beginLoad(loadId: string): Promise<LoadPlan> {
    const load = await repo.load(loadId);
    return {
      chunkCount: load.chunkCount,
      dryRun: load.options.dryRun === true,
      verify: load.options.verify !== false,
      onError: load.options.onError ?? 'rollback',
      rollbackWindowSeconds: load.options.rollbackWindowSeconds ?? 86400,
    };
  }

  async function recordLoadStatus(loadId: string, status: string, phase: string,
    extra: { error?: string; rollbackWindowStarts?: boolean }): Promise<void> {
    const load = await repo.load(loadId);
    const finished = ['cancelled', 'rolled_back', 'failed'].includes(status) || (status === 'completed' && phase === 'done');
    await repo.setStatus(loadId, status, phase, {
      error: extra.error,
      rollbackWindowSeconds: extra.rollbackWindowStarts ? load.options.rollbackWindowSeconds ?? 86400 : undefined,
      started: status === 'running',
      finished: finished || extra.rollbackWindowStarts,
    });
  }

  /** Before-images by natural key, absent records recorded as absent. Taken once, never retaken. */
  async function snapshotChunk(loadId: string, chunk: number): Promise<{ snapshotted: number }> {
    return step(async () => {
      const t = await target(loadId);
      const rows = (await repo.chunk(loadId, chunk)).filter((r) => !r.snapshotTaken);
      if (rows.length === 0) return { snapshotted: 0 };
      const current = await readCurrent(t, rows);
      await repo.update(loadId, rows.map((r) => {
        const before = current.get(r.key) ?? null;
        return { idx: r.idx, snapshot: { existed: before !== null, before }, systemId: idOf(t, before) };
      }));
      return { snapshotted: rows.length };
    });
  }

  /** Dry run: snapshot, then record what would happen to each record, with a field-level diff. */
  async function planChunk(loadId: string, chunk: number): Promise<Partial<ChunkCounts>> {
    await snapshotChunk(loadId, chunk);
    return step(() => planSnapshotted(loadId, chunk));
  }

  async function planSnapshotted(loadId: string, chunk: number): Promise<Partial<ChunkCounts>> {
    const t = await target(loadId);
    const rows = await repo.chunk(loadId, chunk);
    const result = counts();
    await repo.update(loadId, rows.map((r) => {
      const plan = planRecord(t.load.operation, r.before, r.data, fieldsOf(t, r));
      if (plan.action === 'create') result.created++;
      else if (plan.action === 'update') result.updated++;
      else if (plan.action === 'delete') result.deleted++;
      else if (plan.action === 'unchanged') result.unchanged++;
      else result.failed++;
      return { idx: r.idx, plan };
    }));
    return result;
  }

  /**
   * On a retry, records a previous attempt already wrote are found by reading them back, so none
   * is written twice: absent before and present now means created; present and equal to what
   * was asked means updated; absent now after a delete means deleted.
   */
  async function reconcileEarlierAttempt(t: Target, rows: LoadRecordRow[]): Promise<RecordUpdate[]> {
    const current = await readCurrent(t, rows);
    const updates: RecordUpdate[] = [];
    for (const r of rows) {
      const now = current.get(r.key) ?? null;
      if (t.load.operation === 'delete') {
        if (r.existed && now === null) updates.push({ idx: r.idx, status: 'deleted' });
      } else if (now !== null && mismatches(r.data, now, fieldsOf(t, r)).length === 0) {
        const alreadyAsAsked = r.existed && planRecord(t.load.operation, r.before, r.data, fieldsOf(t, r)).action === 'unchanged';
        if (!alreadyAsAsked) updates.push({ idx: r.idx, status: r.existed ? 'updated' : 'created', systemId: idOf(t, now) });
      }
    }
    return updates;
  }

  function outcomeUpdate(r: LoadRecordRow, result: RecordResult | undefined): RecordUpdate {
    if (!result) return { idx: r.idx, status: 'failed', errors: [{ field: '*', message: 'the system returned no result for this record' }] };
    if (result.outcome === 'failed') return { idx: r.idx, status: 'failed', errors: result.errors ?? [] };
    return { idx: r.idx, status: result.outcome, systemId: result.id ?? r.systemId };
  }

  async function writeChunk(loadId: string, chunk: number): Promise<ChunkCounts> {
    return step(async () => {
      const t = await target(loadId);
      let pending = (await repo.chunk(loadId, chunk)).filter((r) => r.status === 'pending');
      if (pending.length > 0 && Context.current().info.attempt > 1) {
        const done = await reconcileEarlierAttempt(t, pending);
        await repo.update(loadId, done);
        const doneIdx = new Set(done.map((u) => u.idx));
        pending = pending.filter((r) => !doneIdx.has(r.idx));
      }

      const decided: RecordUpdate[] = [];
      const toWrite: LoadRecordRow[] = [];
      for (const r of pending) {
        const plan = planRecord(t.load.operation, r.before, r.data, fieldsOf(t, r));
        if (plan.action === 'unchanged') decided.push({ idx: r.idx, status: 'unchanged' });
        else if (plan.action === 'fail') decided.push({ idx: r.idx, status: 'failed', errors: [{ field: t.load.naturalKey, message: plan.reason! }] });
        else toWrite.push(r);
      }
      await repo.update(loadId, decided);

      if (toWrite.length > 0) {
        const results = t.load.operation === 'delete'
          ? await t.destination.delete(t.load.object, t.load.naturalKey, toWrite.map((r) => r.key), { idempotencyKeys: toWrite.map((r) => idempotencyKey(loadId, r, 'write')) })
          : await t.destination.write(t.load.object, t.load.operation, t.load.naturalKey, toWrite.map((r) => r.data),
            { idempotencyKeys: toWrite.map((r) => idempotencyKey(loadId, r, 'write')) });
        const byIndex = new Map(results.map((res) => [res.index, res]));
        await repo.update(loadId, toWrite.map((r, i) => outcomeUpdate(r, byIndex.get(i))));
        const failed = toWrite.map((r, i) => ({ r, res: byIndex.get(i) })).filter(({ res }) => !res || res.outcome === 'failed');
        await repo.deadLetter(t.load, 'write', failed.map(({ r, res }) => ({ idx: r.idx, key: r.key, errors: res?.errors ?? [], record: r.data })));
      }
      return chunkCounts(await repo.chunk(loadId, chunk));
    });
  }

  function chunkCounts(rows: LoadRecordRow[]): ChunkCounts {
    const c = counts();
    for (const r of rows) {
      if (r.status === 'created' || r.status === 'updated' || r.status === 'deleted' || r.status === 'unchanged' || r.status === 'failed') c[r.status]++;
    }
    return c;
  }

  /** Reads back what was written and compares the written fields, retrying briefly for eventual consistency. */
  async function verifyChunk(loadId: string, chunk: number): Promise<{ verified: number; mismatched: number }> {
    return step(async () => {
      const t = await target(loadId);
      let open = (await repo.chunk(loadId, chunk)).filter((r) => (r.status === 'created' || r.status === 'updated') && !r.verified);
      let problems = new Map<number, FieldError[]>();
      for (let attempt = 1; open.length > 0 && attempt <= VERIFY_ATTEMPTS; attempt++) {
        if (attempt > 1) await new Promise((r) => setTimeout(r, VERIFY_BACKOFF_MS * attempt));
        const current = await readCurrent(t, open);
        problems = new Map();
        const matched: RecordUpdate[] = [];
        for (const r of open) {
          const errors = mismatches(r.data, current.get(r.key) ?? null, fieldsOf(t, r));
          if (errors.length === 0) matched.push({ idx: r.idx, verified: true, errors: null });
          else problems.set(r.idx, errors);
        }
        await repo.update(loadId, matched);
        open = open.filter((r) => problems.has(r.idx));
      }
      await repo.update(loadId, open.map((r) => ({ idx: r.idx, errors: problems.get(r.idx)! })));
      await repo.deadLetter(t.load, 'verify', open.map((r) => ({ idx: r.idx, key: r.key, errors: problems.get(r.idx)!, record: r.data })));
      const all = await repo.chunk(loadId, chunk);
      return { verified: all.filter((r) => r.verified).length, mismatched: open.length };
    });
  }

  /**
   * Compensation for one chunk: delete what it created (confirmed by a read that no longer finds
   * it), restore the before-image of what it updated, bring back what it deleted. A record counts
   * as rolled back only when a read confirms it; what could not be restored is kept with its reason.
   */
  async function rollbackChunk(loadId: string, chunk: number): Promise<{ rolledBack: number; rollbackFailed: number }> {
    return step(async () => {
      const t = await target(loadId);
      // A write that failed midway (a 401 after some one-by-one posts went through) recorded
      // nothing: read those records back first, so what did land is compensated too.
      const unrecorded = (await repo.chunk(loadId, chunk)).filter((r) => r.status === 'pending' && r.snapshotTaken);
      if (unrecorded.length > 0) await repo.update(loadId, await reconcileEarlierAttempt(t, unrecorded));
      const rows = (await repo.chunk(loadId, chunk)).filter((r) => ['created', 'updated', 'deleted'].includes(r.status));
      const updates: RecordUpdate[] = [];

      const created = rows.filter((r) => !r.existed);
      if (created.length > 0) {
        const byId = created.every((r) => r.systemId);
        const results = await t.destination.delete(t.load.object, byId ? t.idField : t.load.naturalKey,
          created.map((r) => (byId ? r.systemId! : r.key)));
        created.forEach((r, i) => {
          const res = results.find((x) => x.index === i);
          updates.push(res?.outcome === 'deleted'
            ? { idx: r.idx, status: 'rolled_back', rollbackNote: 'created by the load; deleted again' }
            : { idx: r.idx, status: 'rollback_failed', rollbackNote: `could not delete the created record: ${res?.errors?.map((e) => e.message).join('; ') ?? 'no result'}` });
        });
      }

      const updated = rows.filter((r) => r.existed && r.status === 'updated');
      if (updated.length > 0) {
        const images = updated.map((r) => ({ ...restoreImage(r.before!, fieldsOf(t, r)), [t.load.naturalKey]: r.key }));
        const results = await t.destination.write(t.load.object, 'update', t.load.naturalKey, images,
          { idempotencyKeys: updated.map((r) => idempotencyKey(loadId, r, 'restore')) });
        const current = await readCurrent(t, updated);
        updated.forEach((r, i) => {
          const res = results.find((x) => x.index === i);
          const diff = mismatches(images[i], current.get(r.key) ?? null, fieldsOf(t, r));
          updates.push(res?.outcome !== 'failed' && diff.length === 0
            ? { idx: r.idx, status: 'rolled_back', rollbackNote: 'before-image restored and read back' }
            : { idx: r.idx, status: 'rollback_failed', rollbackNote: `before-image not restored: ${[...(res?.errors ?? []), ...diff].map((e) => `${e.field}: ${e.message}`).join('; ')}` });
        });
      }

      for (const r of rows.filter((x) => x.existed && x.status === 'deleted')) {
        try {
          const restored = await t.destination.restore(t.load.object, t.load.naturalKey, r.before!, { idempotencyKey: idempotencyKey(loadId, r, 'recreate') });
          const back = (await readCurrent(t, [r])).get(r.key);
          updates.push(back
            ? { idx: r.idx, status: 'rolled_back', systemId: restored.id,
              rollbackNote: restored.recreated ? `re-created with new id ${restored.id} (was ${r.systemId ?? 'unknown'})` : 'restored from the archive' }
            : { idx: r.idx, status: 'rollback_failed', rollbackNote: 'restore answered but the record cannot be read back' });
        } catch (err) {
          updates.push({ idx: r.idx, status: 'rollback_failed', rollbackNote: `could not restore the deleted record: ${(err as Error).message}` });
        }
      }
      await repo.update(loadId, updates);
      return {
        rolledBack: updates.filter((u) => u.status === 'rolled_back').length,
        rollbackFailed: updates.filter((u) => u.status === 'rollback_failed').length,
      };
    });
  }

  return { beginLoad, recordLoadStatus, snapshotChunk, planChunk, writeChunk, verifyChunk, rollbackChunk };
}

export type LoadActivities = ReturnType<typeof createLoadActivities>;

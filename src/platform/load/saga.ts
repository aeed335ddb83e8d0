import type { DestinationContract } from '../../connectors/contract';
import { tallyOf, type LoadRecordRow, type LoadRow, type LoadsRepository, type RecordUpdate } from '../db/repositories/loads';
import type { ObjectSpec } from '../object-spec';
import { isRetryableKind } from '../error-kinds';
import { isConnectorError } from '../errors';
import type { FieldError, Rec, RecordResult } from '../records';
import { mismatches, restoreImage, writtenFields, type WrittenFields } from './compare';
import { DEFAULT_ROLLBACK_WINDOW_SECONDS, emptyChunkCounts, type ChunkCounts, type LoadRunSettings, type RollbackCounts } from './model';
import { planRecord } from './plan';
import { readWritten } from './read-back';

/**
 * The load saga's steps (DESIGN.md "Load (saga)") as plain functions over a destination and the
 * loads repository: snapshot, plan (dry run), write, verify and compensate one chunk. Each is
 * idempotent: what a step did is recorded per record, so a retry (or a restarted worker) resumes
 * where it stopped. activities/load.ts adapts them to Temporal; workflows/load.ts orders them.
 */

/** What a step works on: one load, its object's spec and the connection's destination. */
export interface SagaTarget {
  load: LoadRow;
  spec: ObjectSpec;
  destination: DestinationContract;
  /** The object's own id field: what a rollback addresses records by once it knows their ids. */
  idField: string;
  repo: LoadsRepository;
}

const VERIFY_ATTEMPTS = 5;
const VERIFY_BACKOFF_MS = 250;

/** Stable across retries of one step of one record of one load, and different between steps. */
export function idempotencyKey(loadId: string, record: { idx: number }, step: 'write' | 'restore' | 'recreate'): string {
  return `forge-${loadId}-${record.idx}-${step}`;
}

/**
 * Segments of one load running at once (FORGE_LOAD_SEGMENT_LANES). Each waits most of its time on
 * the system and on Postgres, so more lanes than cores pay off; the connection's request budget
 * keeps them within its limits.
 */
export const DEFAULT_SEGMENT_LANES = 8;

export function runSettings(load: LoadRow, segmentLanes = DEFAULT_SEGMENT_LANES): LoadRunSettings {
  return {
    chunkCount: load.chunkCount,
    segmentLanes,
    dryRun: load.options.dryRun === true,
    verify: load.options.verify !== false,
    onError: load.options.onError ?? 'rollback',
    rollbackWindowSeconds: load.options.rollbackWindowSeconds ?? DEFAULT_ROLLBACK_WINDOW_SECONDS,
  };
}

function readCurrent(t: SagaTarget, rows: LoadRecordRow[], fields = [...new Set(rows.flatMap((r) => Object.keys(r.data)))]): Promise<Map<string, Rec | null>> {
  return t.destination.read(t.load.object, t.load.naturalKey, [...new Set(rows.map((r) => r.key))], fields);
}

/**
 * What a snapshot reads: the fields the load writes, except before a delete, where the whole record
 * is its before-image (a rollback re-creates it from that): every declared field, or everything the
 * system describes for objects whose fields are known only at run time (an empty list).
 */
function snapshotFields(t: SagaTarget, rows: LoadRecordRow[]): string[] {
  if (t.load.operation !== 'delete') return [...new Set(rows.flatMap((r) => Object.keys(r.data)))];
  return t.spec.dynamicFields ? [] : t.spec.fields.map((f) => f.name);
}

function fieldsOf(t: SagaTarget, row: LoadRecordRow): WrittenFields {
  return writtenFields(row.data, t.spec);
}

function idOf(t: SagaTarget, rec: Rec | null | undefined): string | null {
  const id = rec?.[t.idField] ?? rec?.id;
  return id === undefined || id === null ? null : String(id);
}

/**
 * One chunk's rows as Postgres holds them: read once when a step starts on the chunk, then kept in
 * step with every update written through it, so the steps of one activity never re-read them.
 * Updates may be staged (applied to the rows held at once, written with the next record or flush):
 * a write's outcomes then reach Postgres with its verify, one statement instead of two.
 */
export class ChunkRows {
  private staged = new Map<number, RecordUpdate>();

  private constructor(private readonly t: SagaTarget, readonly chunk: number, private rows: LoadRecordRow[]) {}

  static async read(t: SagaTarget, chunk: number): Promise<ChunkRows> {
    return new ChunkRows(t, chunk, await t.repo.chunk(t.load, chunk));
  }

  /** The chunk's rows, or null when a stop of the load was asked (one query for both). */
  static async readUnlessStopped(t: SagaTarget, chunk: number): Promise<ChunkRows | null> {
    const { rows, stopRequested } = await t.repo.chunkAndStop(t.load, chunk);
    return stopRequested ? null : new ChunkRows(t, chunk, rows);
  }

  get all(): LoadRecordRow[] {
    return this.rows;
  }

  /**
   * Applies the updates to the rows held without writing them yet. Only for what a retry finds
   * again by reading the system (a write's outcomes: see reconcileEarlierAttempt), never for a
   * snapshot, which must be in Postgres before the write it protects.
   */
  stage(updates: RecordUpdate[]): void {
    if (updates.length === 0) return;
    for (const u of updates) {
      const earlier = this.staged.get(u.idx);
      this.staged.set(u.idx, earlier ? { ...earlier, ...u } : u);
    }
    this.apply(updates);
  }

  /** Writes the updates with any staged before them, and the chunk's counts after them (one statement). */
  async record(updates: RecordUpdate[]): Promise<void> {
    this.stage(updates);
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.staged.size === 0) return;
    const updates = [...this.staged.values()];
    this.staged = new Map();
    await this.t.repo.update(this.t.load, this.chunk, updates, tallyOf(this.rows));
  }

  private apply(updates: RecordUpdate[]): void {
    const byIdx = new Map(updates.map((u) => [u.idx, u]));
    this.rows = this.rows.map((r) => {
      const u = byIdx.get(r.idx);
      if (!u) return r;
      // Every field named rather than `...r`: the spread made objects V8 copies slowly, and this
      // runs for every record three times (11% of the worker's CPU in a 20,000-record load).
      return {
        idx: r.idx,
        key: r.key,
        data: r.data,
        status: u.status ?? r.status,
        systemId: 'systemId' in u ? u.systemId ?? null : r.systemId,
        verified: u.verified ?? r.verified,
        snapshotTaken: r.snapshotTaken || u.snapshot !== undefined,
        existed: u.snapshot ? u.snapshot.existed : r.existed,
        before: u.snapshot ? u.snapshot.before : r.before,
        planAction: 'plan' in u ? (u.plan as { action?: string } | null)?.action ?? null : r.planAction,
      };
    });
  }
}

/** Before-images by natural key, absent records recorded as absent. Taken once, never retaken. */
export async function snapshotChunk(t: SagaTarget, chunk: ChunkRows): Promise<{ snapshotted: number }> {
  const rows = chunk.all.filter((r) => !r.snapshotTaken);
  if (rows.length === 0) return { snapshotted: 0 };
  const current = await readCurrent(t, rows, snapshotFields(t, rows));
  await chunk.record(rows.map((r) => {
    const before = current.get(r.key) ?? null;
    return { idx: r.idx, snapshot: { existed: before !== null, before }, systemId: idOf(t, before) };
  }));
  return { snapshotted: rows.length };
}

/** Dry run, after the snapshot: what would happen to each record, with a field-level diff. */
export async function planSnapshotted(t: SagaTarget, chunk: ChunkRows): Promise<Partial<ChunkCounts>> {
  const result = emptyChunkCounts();
  await chunk.record(chunk.all.map((r) => {
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
async function reconcileEarlierAttempt(t: SagaTarget, rows: LoadRecordRow[]): Promise<RecordUpdate[]> {
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

/**
 * Writes what the plan says needs writing (unchanged records are not sent); outcomes per record,
 * staged on the chunk (the caller flushes them, with the verify's results when it verifies). Lost
 * with a crashed worker, they are found again by the retry's read-back, as any unrecorded write.
 */
export async function writeChunk(t: SagaTarget, chunk: ChunkRows, isRetry = false): Promise<ChunkCounts> {
  const loadId = t.load.id;
  let pending = chunk.all.filter((r) => r.status === 'pending');
  if (pending.length > 0 && isRetry) {
    const done = await reconcileEarlierAttempt(t, pending);
    chunk.stage(done);
    const doneIdx = new Set(done.map((u) => u.idx));
    pending = pending.filter((r) => !doneIdx.has(r.idx));
  }

  const decided: RecordUpdate[] = [];
  const toWrite: LoadRecordRow[] = [];
  for (const r of pending) {
    const plan = planRecord(t.load.operation, r.before, r.data, fieldsOf(t, r));
    if (plan.action === 'unchanged') decided.push({ idx: r.idx, status: 'unchanged' });
    else if (plan.action === 'fail') decided.push({ idx: r.idx, status: 'failed', errors: plan.errors ?? [{ field: t.load.naturalKey, message: plan.reason! }] });
    else toWrite.push(r);
  }
  chunk.stage(decided);

  if (toWrite.length > 0) {
    const results = t.load.operation === 'delete'
      ? await t.destination.delete(t.load.object, t.load.naturalKey, toWrite.map((r) => r.key), { idempotencyKeys: toWrite.map((r) => idempotencyKey(loadId, r, 'write')) })
      : await t.destination.write(t.load.object, t.load.operation, t.load.naturalKey, toWrite.map((r) => r.data),
        { idempotencyKeys: toWrite.map((r) => idempotencyKey(loadId, r, 'write')) });
    const byIndex = new Map(results.map((res) => [res.index, res]));
    chunk.stage(toWrite.map((r, i) => outcomeUpdate(r, byIndex.get(i))));
    const failed = toWrite.map((r, i) => ({ r, res: byIndex.get(i) })).filter(({ res }) => !res || res.outcome === 'failed');
    await t.repo.deadLetter(t.load, 'write', failed.map(({ r, res }) => ({ idx: r.idx, key: r.key, errors: res?.errors ?? [], record: r.data })));
  }
  return chunkCounts(chunk.all);
}

function chunkCounts(rows: LoadRecordRow[]): ChunkCounts {
  const c = emptyChunkCounts();
  for (const r of rows) {
    if (r.status === 'created' || r.status === 'updated' || r.status === 'deleted' || r.status === 'unchanged' || r.status === 'failed') c[r.status]++;
  }
  return c;
}

/** Reads back what was written and compares the written fields, retrying briefly for eventual consistency. */
export async function verifyChunk(t: SagaTarget, chunk: ChunkRows): Promise<{ verified: number; mismatched: number }> {
  let open = chunk.all.filter((r) => (r.status === 'created' || r.status === 'updated') && !r.verified);
  let problems = new Map<number, FieldError[]>();
  for (let attempt = 1; open.length > 0 && attempt <= VERIFY_ATTEMPTS; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, VERIFY_BACKOFF_MS * attempt));
    const current = await readWritten(t, open);
    problems = new Map();
    const matched: RecordUpdate[] = [];
    for (const r of open) {
      const errors = mismatches(r.data, current.get(r.key) ?? null, fieldsOf(t, r));
      if (errors.length === 0) matched.push({ idx: r.idx, verified: true, errors: null });
      else problems.set(r.idx, errors);
    }
    await chunk.record(matched);
    open = open.filter((r) => problems.has(r.idx));
  }
  await chunk.record(open.map((r) => ({ idx: r.idx, errors: problems.get(r.idx)! })));
  await t.repo.deadLetter(t.load, 'verify', open.map((r) => ({ idx: r.idx, key: r.key, errors: problems.get(r.idx)!, record: r.data })));
  return { verified: chunk.all.filter((r) => r.verified).length, mismatched: open.length };
}

/**
 * Compensation for one chunk: delete what it created (confirmed by a read that no longer finds
 * it), restore the before-image of what it updated, bring back what it deleted. A record counts
 * as rolled back only when a read confirms it; what could not be restored is kept with its reason.
 */
export async function rollbackChunk(t: SagaTarget, chunk: ChunkRows): Promise<RollbackCounts> {
  const loadId = t.load.id;
  // A write that failed midway (a 401 after some one-by-one posts went through) recorded
  // nothing: read those records back first, so what did land is compensated too.
  const unrecorded = chunk.all.filter((r) => r.status === 'pending' && r.snapshotTaken);
  if (unrecorded.length > 0) await chunk.record(await reconcileEarlierAttempt(t, unrecorded));
  const rows = chunk.all.filter((r) => ['created', 'updated', 'deleted'].includes(r.status));
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
      // Read back by the id restore() answered: a re-created record may have a new key as well as a
      // new id (JIRA issue keys are never reused), so the load's natural key can no longer find it.
      const back = (await t.destination.read(t.load.object, t.idField, [restored.id], Object.keys(r.data))).get(restored.id)
        ?? (await readCurrent(t, [r])).get(r.key);
      updates.push(back
        ? { idx: r.idx, status: 'rolled_back', systemId: restored.id,
          rollbackNote: recreateNote(restored, r.systemId) }
        : { idx: r.idx, status: 'rollback_failed', rollbackNote: 'restore answered but the record cannot be read back' });
    } catch (err) {
      updates.push({ idx: r.idx, status: 'rollback_failed', rollbackNote: `could not restore the deleted record: ${(err as Error).message}` });
    }
  }
  await chunk.record(updates);
  return {
    rolledBack: updates.filter((u) => u.status === 'rolled_back').length,
    rollbackFailed: updates.filter((u) => u.status === 'rollback_failed').length,
  };
}


/** How a deleted record came back: its archive restored, or re-created (keeping its id where the id is its key). */
function recreateNote(restored: { id: string; recreated: boolean }, formerId: string | null): string {
  if (!restored.recreated) return 'restored from the archive';
  if (restored.id === formerId) return `re-created with the same id ${restored.id}`;
  return `re-created with new id ${restored.id} (was ${formerId ?? 'unknown'})`;
}

/** What a segment's run reports to the workflow. */
export interface SegmentOutcome {
  counts: ChunkCounts;
  /** Chunks of the segment that went through every step. */
  chunksDone: number;
  /** Set when the segment stopped early because a chunk failed under onError "rollback". */
  failure?: string;
}

/**
 * Runs chunks firstChunk..lastChunk in order: snapshot → write → verify each. Under onError
 * "rollback" it stops after the first chunk with failed or mismatched records (the workflow then
 * compensates). `progress` is called after each chunk (the activity heartbeats it). Before each
 * chunk but the first it stops if the workflow asked (requestStop: a cancel, or a failure in
 * another lane), read with the chunk's rows.
 */
export async function runSegment(t: SagaTarget, firstChunk: number, lastChunk: number,
  options: { verify: boolean; isRetry: boolean; progress?: (chunk: number) => void }): Promise<SegmentOutcome> {
  const counts = emptyChunkCounts();
  const add = (c: Partial<ChunkCounts>) => { for (const [k, v] of Object.entries(c)) counts[k as keyof ChunkCounts] += v ?? 0; };
  const stopOnFailure = t.load.options.onError !== 'continue';
  let chunksDone = 0;
  for (let chunk = firstChunk; chunk <= lastChunk; chunk++) {
    const rows = chunk === firstChunk ? await ChunkRows.read(t, chunk) : await ChunkRows.readUnlessStopped(t, chunk);
    if (!rows) return { counts, chunksDone };
    await snapshotChunk(t, rows);
    const written = await writeChunk(t, rows, options.isRetry);
    add(written);
    if (written.failed > 0 && stopOnFailure) {
      await rows.flush();
      return { counts, chunksDone, failure: `${written.failed} record(s) failed in chunk ${chunk}` };
    }
    if (options.verify) {
      const verified = await verifyChunk(t, rows);
      add(verified);
      if (verified.mismatched > 0 && stopOnFailure) {
        return { counts, chunksDone, failure: `${verified.mismatched} record(s) read back differently from what was written in chunk ${chunk}` };
      }
    }
    await rows.flush();
    chunksDone++;
    options.progress?.(chunk);
  }
  return { counts, chunksDone };
}

/** Dry run of a segment: snapshot and plan each chunk. */
export async function planSegment(t: SagaTarget, firstChunk: number, lastChunk: number, progress?: (chunk: number) => void): Promise<Partial<ChunkCounts>> {
  const counts = emptyChunkCounts();
  for (let chunk = firstChunk; chunk <= lastChunk; chunk++) {
    const rows = await ChunkRows.read(t, chunk);
    await snapshotChunk(t, rows);
    for (const [k, v] of Object.entries(await planSnapshotted(t, rows))) counts[k as keyof ChunkCounts] += v ?? 0;
    progress?.(chunk);
  }
  return counts;
}

/** Compensates a segment's chunks, newest first. */
async function markNotRolledBack(t: SagaTarget, firstChunk: number, lastChunk: number, reason: string): Promise<void> {
  for (let chunk = lastChunk; chunk >= firstChunk; chunk--) {
    const rows = await ChunkRows.read(t, chunk);
    await rows.record(rows.all.filter((r) => ['created', 'updated', 'deleted'].includes(r.status))
      .map((r) => ({ idx: r.idx, status: 'rollback_failed', rollbackNote: `rollback stopped: ${reason}` })));
  }
}

export async function rollbackSegment(t: SagaTarget, firstChunk: number, lastChunk: number, progress?: (chunk: number) => void): Promise<RollbackCounts> {
  const total: RollbackCounts = { rolledBack: 0, rollbackFailed: 0 };
  for (let chunk = lastChunk; chunk >= firstChunk; chunk--) {
    let undone: RollbackCounts;
    try {
      undone = await rollbackChunk(t, await ChunkRows.read(t, chunk));
    } catch (err) {
      // A refusal no retry will change (revoked credentials): the rest of this segment cannot be
      // undone either, so each record still written says so itself, not only the load's error.
      if (isConnectorError(err) && !isRetryableKind(err.kind)) await markNotRolledBack(t, firstChunk, chunk, err.message);
      throw err;
    }
    total.rolledBack += undone.rolledBack;
    total.rollbackFailed += undone.rollbackFailed;
    progress?.(chunk);
  }
  return total;
}

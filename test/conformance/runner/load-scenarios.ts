import type { ConnectorDefinition, ObjectSpec } from '../../../src/connectors/contract';
import type { ConformanceFixture, DeleteRollback, ObjectFixture, Rec, WriteOperation } from '../fixture';
import { errorText, Loads, type LoadRecordView } from './loads';
import { exactView, pick, withoutIgnoredFields } from './state';
import { requestsTo, type ScenarioSandbox, type SuiteEnv } from './suite-env';

/** What a scenario is handed: the suite, the fixture, the object under test and its ObjectSpec. */
export interface ScenarioContext {
  env: SuiteEnv;
  connector: ConnectorDefinition;
  fixture: ConformanceFixture;
  object: ObjectFixture;
  spec: ObjectSpec;
  /**
   * Capture phase only: waits until every capture-phase scenario has asked, then the shared worker
   * restarts once. A scenario that never asks is counted as arrived when it ends.
   */
  restartWorker(): Promise<void>;
}

const SAMPLES = 4;
export const samples = (object: ObjectFixture, from = 0, to = SAMPLES): Rec[] => Array.from({ length: to - from }, (_, i) => object.record(from + i));
export const keyOf = (object: ObjectFixture, record: Rec): string => String(record[object.naturalKey]);
const patched = (object: ObjectFixture, record: Rec): Rec => ({ ...record, ...object.patch });
const keyAndPatch = (object: ObjectFixture, record: Rec): Rec => ({ [object.naturalKey]: record[object.naturalKey], ...object.patch });
const keysOnly = (object: ObjectFixture, records: Rec[]): Rec[] => records.map((r) => ({ [object.naturalKey]: r[object.naturalKey] }));
export const supports = (ctx: Pick<ScenarioContext, 'object'>, op: WriteOperation): boolean => !(op in ctx.object.cannot);

async function setUp(ctx: ScenarioContext): Promise<{ sb: ScenarioSandbox; loads: Loads }> {
  const sb = await ctx.env.sandbox(ctx.fixture);
  return { sb, loads: new Loads(ctx.env, sb, ctx.object) };
}

/** Each record is in the sandbox, read back with the values it was written with. */
async function expectLive(ctx: ScenarioContext, sb: ScenarioSandbox, records: Rec[]): Promise<void> {
  const live = await sb.live(ctx.object);
  for (const record of records) expect({ key: keyOf(ctx.object, record), fields: pick(live.get(keyOf(ctx.object, record)), record) }).toEqual({ key: keyOf(ctx.object, record), fields: record });
}

async function expectAbsent(ctx: ScenarioContext, sb: ScenarioSandbox, records: Rec[]): Promise<void> {
  const live = await sb.live(ctx.object);
  expect(records.map((r) => keyOf(ctx.object, r)).filter((k) => live.has(k))).toEqual([]);
}

async function exactState(ctx: ScenarioContext, sb: ScenarioSandbox) {
  return exactView(ctx.fixture.exactState, await sb.state());
}

export const roundTrip: Record<WriteOperation, (ctx: ScenarioContext) => Promise<void>> = {
  async create(ctx) {
    const { sb, loads } = await setUp(ctx);
    const records = samples(ctx.object);
    const load = await loads.run('create', records);
    expect({ status: load.status, error: errorText(load) }).toEqual({ status: 'completed', error: '' });
    expect(load.counts).toMatchObject({ total: records.length, created: records.length, failed: 0, verified: records.length });
    expect(Date.parse(String(load.rollbackUntil))).toBeGreaterThan(Date.now() + 23 * 3600_000); // the default window: 24 h
    await expectLive(ctx, sb, records);
  },
  async update(ctx) {
    const { sb, loads } = await setUp(ctx);
    const records = samples(ctx.object);
    await sb.seed(ctx.object, records);
    const load = await loads.run('update', records.map((r) => keyAndPatch(ctx.object, r)));
    expect({ status: load.status, error: errorText(load) }).toEqual({ status: 'completed', error: '' });
    expect(load.counts).toMatchObject({ total: records.length, updated: records.length, failed: 0, verified: records.length });
    await expectLive(ctx, sb, records.map((r) => patched(ctx.object, r)));
  },
  async upsert(ctx) {
    const { sb, loads } = await setUp(ctx);
    const records = samples(ctx.object);
    await sb.seed(ctx.object, records.slice(0, 2));
    const load = await loads.run('upsert', records.map((r) => patched(ctx.object, r)));
    expect({ status: load.status, error: errorText(load) }).toEqual({ status: 'completed', error: '' });
    expect(load.counts).toMatchObject({ total: records.length, created: records.length - 2, updated: 2, failed: 0, verified: records.length });
    await expectLive(ctx, sb, records.map((r) => patched(ctx.object, r)));
  },
  async delete(ctx) {
    const { sb, loads } = await setUp(ctx);
    const records = samples(ctx.object);
    await sb.seed(ctx.object, records);
    const load = await loads.run('delete', keysOnly(ctx.object, records));
    expect({ status: load.status, error: errorText(load) }).toEqual({ status: 'completed', error: '' });
    expect(load.counts).toMatchObject({ total: records.length, deleted: records.length, failed: 0 });
    await expectAbsent(ctx, sb, records);
  },
};

/** A declared inability is real: the gateway refuses the operation, naming the field. */
export async function refusedOperation(ctx: ScenarioContext, op: WriteOperation): Promise<void> {
  expect(ctx.spec.operations).not.toContain(op);
  const sb = await ctx.env.sandbox(ctx.fixture);
  const res = await ctx.env.api('POST', '/v1/loads', {
    connectionId: sb.connectionId, object: ctx.object.object, naturalKey: ctx.object.naturalKey, operation: op,
    records: op === 'delete' ? keysOnly(ctx.object, samples(ctx.object, 0, 1)) : samples(ctx.object, 0, 1),
  });
  expect(res.status).toBe(400);
  expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain('operation');
}

/** Reads lag writes (sandbox stale-read fault): verify reads again until it sees the write. */
export async function verifyUnderStaleRead(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  const records = samples(ctx.object);
  await sb.seed(ctx.object, records);
  await sb.faults([{ kind: 'stale-read', windowMs: 1500 }]);
  const load = await loads.run('update', records.map((r) => keyAndPatch(ctx.object, r)));
  expect({ status: load.status, error: errorText(load) }).toEqual({ status: 'completed', error: '' });
  expect(load.counts).toMatchObject({ updated: records.length, verified: records.length, failed: 0 });
  await expectLive(ctx, sb, records.map((r) => patched(ctx.object, r)));
}

/** A delete that answers success but keeps the record is caught: failed, never reported deleted. */
export async function lyingDelete(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  const records = samples(ctx.object);
  await sb.seed(ctx.object, records);
  await sb.faults([{ kind: 'delete-lies' }]);
  const id = await loads.start('delete', keysOnly(ctx.object, records), { onError: 'continue' });
  const load = await loads.wait(id);
  expect(load.counts).toMatchObject({ total: records.length, deleted: 0, failed: records.length });
  const outcomes = await loads.records(id);
  expect(outcomes.map((r) => r.status)).toEqual(records.map(() => 'failed'));
  for (const r of outcomes) expect(r.errors?.length).toBeGreaterThan(0);
  await expectLive(ctx, sb, records);
}

/** Rolling a delete load back brings every record back, read back with every field. */
export async function restoreAfterDelete(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  const records = samples(ctx.object);
  await sb.seed(ctx.object, records);
  const before = await sb.live(ctx.object);
  const id = await loads.start('delete', keysOnly(ctx.object, records));
  expect((await loads.wait(id)).counts).toMatchObject({ deleted: records.length, failed: 0 });
  await expectAbsent(ctx, sb, records);
  const declared = ctx.object.deleteRollback;
  if (declared) await expectDeleted(ctx, sb, declared, records, before);
  const deleted = await loads.records(id);
  const rolled = await loads.rollback(id);
  expect({ status: rolled.status, error: errorText(rolled) }).toEqual({ status: 'rolled_back', error: '' });
  const rolledBack = await loads.records(id);
  expect(rolledBack.map((r) => r.status)).toEqual(records.map(() => 'rolled_back'));
  await expectLive(ctx, sb, records);
  if (!declared) return;
  const after = await sb.live(ctx.object);
  expectRestoredAsDeclared(ctx, declared, records, before, after);
  if (declared.id === 'new') expectNewIdsRecorded(declared, deleted, rolledBack, after);
  if (declared.restoreRequest) {
    const { method, path } = declared.restoreRequest;
    expect(await requestsTo(sb, method, path)).toHaveLength(records.length);
  }
}

/** After the delete (the fixture's deleteRollback): only these records are gone, and the system's audit has each. */
async function expectDeleted(ctx: ScenarioContext, sb: ScenarioSandbox, declared: DeleteRollback, records: Rec[], before: Map<string, Rec>): Promise<void> {
  expect((await sb.live(ctx.object)).size).toBe(before.size - records.length);
  if (!declared.auditedDeletes) return;
  const ids = records.map((r) => String(before.get(keyOf(ctx.object, r))?.[declared.idField]));
  expect(declared.auditedDeletes(await sb.state()).sort()).toEqual([...ids].sort());
}

/** After the rollback (the fixture's deleteRollback): each record's id kept or none of the old ones, every field back. */
function expectRestoredAsDeclared(ctx: ScenarioContext, declared: DeleteRollback, records: Rec[], before: Map<string, Rec>, after: Map<string, Rec>): void {
  const ids = (live: Map<string, Rec>) => records.map((r) => String(live.get(keyOf(ctx.object, r))?.[declared.idField]));
  const [old, now] = [ids(before), ids(after)];
  if (declared.id === 'kept') expect(now).toEqual(old);
  else expect({ now, reused: now.filter((id) => old.includes(id)) }).toEqual({ now, reused: [] });
  if (!declared.everyField) return;
  const fields = (live: Map<string, Rec>) => records.map((r) => {
    const record = live.get(keyOf(ctx.object, r));
    return record && withoutIgnoredFields(ctx.fixture.exactState, record);
  });
  expect(fields(after)).toEqual(fields(before));
}

/** A re-created record's new id is on its load record, noted with the id it had when the load deleted it. */
function expectNewIdsRecorded(declared: DeleteRollback, deleted: LoadRecordView[], rolledBack: LoadRecordView[], after: Map<string, Rec>): void {
  const field = declared.recordedIdField ?? declared.idField;
  const formerId = new Map(deleted.map((r) => [r.key, r.id]));
  const recorded = rolledBack.map((r) => ({ key: r.key, id: r.id, rollbackNote: r.rollbackNote, sameAsBefore: r.id === formerId.get(r.key) }));
  expect(recorded).toEqual(rolledBack.map((r) => {
    const id = String(after.get(r.key)?.[field]);
    return { key: r.key, id, rollbackNote: `re-created with new id ${id} (was ${formerId.get(r.key)})`, sameAsBefore: false };
  }));
}

/** After a rollback the whole sandbox is as it was: every object, every record, every field. */
export async function rollbackExact(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  const existing = samples(ctx.object, 0, 3);
  const fresh = samples(ctx.object, 3, 6);
  await sb.seed(ctx.object, existing);
  const before = await exactState(ctx, sb);
  const done: string[] = [];
  if (supports(ctx, 'upsert')) {
    done.push(await loads.start('upsert', [...existing.map((r) => patched(ctx.object, r)), ...fresh]));
  } else {
    done.push(await loads.start('update', existing.map((r) => keyAndPatch(ctx.object, r))));
    expect((await loads.wait(done[0])).status).toBe('completed');
    done.push(await loads.start('create', fresh));
  }
  for (const id of done) expect((await loads.wait(id)).status).toBe('completed');
  expect(await exactState(ctx, sb)).not.toEqual(before);
  for (const id of [...done].reverse()) {
    const rolled = await loads.rollback(id);
    expect({ status: rolled.status, error: errorText(rolled) }).toEqual({ status: 'rolled_back', error: '' });
    expect((await loads.records(id)).filter((r) => r.status !== 'rolled_back')).toEqual([]);
  }
  expect(await exactState(ctx, sb)).toEqual(before);
}

/** An update reaching into nested values verifies, and its rollback restores the exact state. */
export async function nestedRollbackExact(ctx: ScenarioContext): Promise<void> {
  const nestedPatch = ctx.object.nestedPatch!;
  const { sb, loads } = await setUp(ctx);
  const existing = samples(ctx.object, 0, 3);
  await sb.seed(ctx.object, existing);
  const before = await exactState(ctx, sb);
  const updates = existing.map((r) => ({ [ctx.object.naturalKey]: r[ctx.object.naturalKey], ...nestedPatch }));
  const load = await loads.run('update', updates);
  expect({ status: load.status, error: errorText(load) }).toEqual({ status: 'completed', error: '' });
  expect(load.counts).toMatchObject({ total: existing.length, failed: 0, verified: existing.length });
  await expectLive(ctx, sb, updates);
  const rolled = await loads.rollback(load.id);
  const notRolledBack = (await loads.records(load.id)).filter((r) => r.status !== 'rolled_back');
  expect({ status: rolled.status, error: errorText(rolled), notRolledBack }).toEqual({ status: 'rolled_back', error: '', notRolledBack: [] });
  expect(await exactState(ctx, sb)).toEqual(before);
}

/** Eight chunks; the first writes are slowed so the cancel lands while they run. */
export async function cancelMidway(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  await sb.seed(ctx.object, samples(ctx.object, 0, 2));
  const before = await exactState(ctx, sb);
  const records = samples(ctx.object, 2, 2 + 8 * ctx.spec.batchSize);
  const { method, path, bodyMatches } = ctx.object.createRequest;
  // Slow enough that the cancel (a signal through the gateway and Temporal) lands while the write runs,
  // even on a busy machine: at 500 ms a load sometimes completed first, and at 2 s once (Marketo,
  // its eight chunks written side by side in one-chunk segments since the load path got faster).
  await sb.faults([{ method, path, bodyMatches, latencyMs: 5_000, times: 4 }]);
  const id = await loads.start('create', records);
  await waitForFaultUse(sb);
  await loads.signal(id, 'cancel');
  const load = await loads.wait(id);
  expect({ status: load.status, error: errorText(load) }).toEqual({ status: 'cancelled', error: '' });
  expect(load.counts.created).toBeLessThan(records.length);
  expect(await loads.records(id, 'rollback_failed')).toEqual([]);
  expect(await exactState(ctx, sb)).toEqual(before);
}

/** Waits until the sandbox has started answering a request the first fault matches. */
async function waitForFaultUse(sb: ScenarioSandbox): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const faults = (await sb.call('GET', 'faults')).body.faults as Array<{ remaining: number | null; times?: number }>;
    if (faults.length === 0 || (faults[0].remaining ?? 0) < (faults[0].times ?? 0)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no write request reached the sandbox within 60 s');
}

/** Every request answers 401: the load fails after exactly one request, never retried. */
export async function auth401Once(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  await sb.faults([{ status: 401 }]);
  const id = await loads.start('create', samples(ctx.object));
  const load = await loads.wait(id);
  expect(['failed', 'rolled_back']).toContain(load.status);
  expect(errorText(load)).toMatch(/401|auth|unauthori[sz]ed|invalid_grant|invalid_client|session/i);
  expect(load.counts.created).toBe(0);
  expect((await sb.requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toHaveLength(1);
  expect(await loads.retries(id)).toEqual([]);
}

/**
 * Writes start answering 401 after the first one (the credentials revoked midway): the load stops
 * at once, every activity at attempt 1, and rolls back exactly — or, where the system undoes
 * through the very request that now answers 401 (fixture `undoesThroughCreateRequest`), fails
 * with every record it could not undo reported, none silently left.
 */
export async function auth401Midway(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  await sb.seed(ctx.object, samples(ctx.object, 0, 2));
  const before = await exactState(ctx, sb);
  const { method, path, bodyMatches } = ctx.object.createRequest;
  await sb.faults([{ method, path, bodyMatches, status: 401, after: 1 }]);
  const id = await loads.start('create', samples(ctx.object, 2, 2 + 2 * ctx.spec.batchSize));
  const load = await loads.wait(id);
  const expected = ctx.object.undoesThroughCreateRequest ? 'failed' : 'rolled_back';
  if (load.status !== expected) {
    const requests = (await sb.requests()).map((r) => `${r.method} ${r.path} ${r.status}`);
    throw new Error(`the load ended ${load.status} (${errorText(load)}), not ${expected}; the sandbox answered: ${requests.join(', ')}`);
  }
  expect(errorText(load)).toMatch(/401|auth|unauthori[sz]ed|session/i);
  expect((await sb.requests()).filter((r) => r.method === method && r.status < 300).length).toBeGreaterThan(0);
  expect(await loads.retries(id)).toEqual([]);
  if (ctx.object.undoesThroughCreateRequest) {
    expect(errorText(load)).toMatch(/rollback incomplete/);
    const written = (await loads.records(id)).filter((r) => r.status !== 'pending' && r.status !== 'failed');
    expect(written.length).toBeGreaterThan(0);
    expect(written.filter((r) => r.status !== 'rollback_failed')).toEqual([]);
  } else {
    expect(await loads.records(id, 'rollback_failed')).toEqual([]);
    expect(await exactState(ctx, sb)).toEqual(before);
  }
}

/**
 * Two 429s with Retry-After: 2 — each waited out: no request arrives in the 2 s after a 429 was
 * answered (requests already under way beside it may still be answered), then the load completes.
 */
export async function rateLimit429(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  await sb.faults([{ status: 429, retryAfter: 2, times: 2 }]);
  const records = samples(ctx.object);
  const load = await loads.run('create', records);
  expect({ status: load.status, error: errorText(load) }).toEqual({ status: 'completed', error: '' });
  expect(load.counts).toMatchObject({ created: records.length, verified: records.length, failed: 0 });
  const log = await sb.requests();
  const limited = log.filter((r) => r.status === 429);
  expect(limited).toHaveLength(2);
  for (const refused of limited) {
    const answered = Date.parse(refused.at);
    // Requests that arrived within a few ms of the 429's answer were sent beside it, not after it.
    const tooSoon = log.filter((r) => Date.parse(r.receivedAt) - answered > SAME_INSTANT_MS && Date.parse(r.receivedAt) - answered < 1_900);
    expect(tooSoon).toEqual([]);
  }
  await expectLive(ctx, sb, records);
}

/** Two requests this close together were sent side by side (one fan-out), not one after the other. */
const SAME_INSTANT_MS = 10;

/** The system's own refusal of one record fails that record, naming the field; the rest load. */
export async function validationNamesField(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  const valid = samples(ctx.object, 0, 3);
  const records = [valid[0], valid[1], ctx.object.invalid.record, valid[2]];
  const id = await loads.start('create', records, { onError: 'continue' });
  const load = await loads.wait(id);
  expect(load.status).toBe('completed');
  expect(load.counts).toMatchObject({ total: 4, created: 3, failed: 1 });
  const failed = await loads.records(id, 'failed');
  expect(failed.map((r) => r.index)).toEqual([2]);
  expect(failed[0].errors?.map((e) => e.field)).toContain(ctx.object.invalid.field);
  await expectLive(ctx, sb, valid);
  await expectAbsent(ctx, sb, [ctx.object.invalid.record]);
}

/** By default (onError rollback) one refused record rolls the whole load back: the sandbox is as before. */
export async function invalidRollsBack(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  await sb.seed(ctx.object, samples(ctx.object, 0, 2));
  const before = await exactState(ctx, sb);
  const load = await loads.run('create', [...samples(ctx.object, 2, 5), ctx.object.invalid.record]);
  expect(load.status).toBe('rolled_back');
  expect(errorText(load)).toMatch(/failed/);
  expect(await loads.records(load.id, 'rollback_failed')).toEqual([]);
  expect(await exactState(ctx, sb)).toEqual(before);
}

/** A dry run plans with a field-level diff and changes nothing. */
export async function dryRun(ctx: ScenarioContext): Promise<void> {
  const { sb, loads } = await setUp(ctx);
  const existing = samples(ctx.object, 0, 2);
  await sb.seed(ctx.object, existing);
  const before = await exactState(ctx, sb);
  const op: WriteOperation = supports(ctx, 'upsert') ? 'upsert' : 'update';
  const records = [keyAndPatch(ctx.object, existing[0]), { ...existing[1] }, ...(op === 'upsert' ? [ctx.object.record(2)] : [])];
  const id = await loads.start(op, records, { dryRun: true });
  const load = await loads.wait(id);
  expect(load.status).toBe('completed');
  expect(load.plan).toMatchObject({ update: 1, ...(op === 'upsert' ? { create: 1 } : {}) });
  const plans = (await loads.records(id)).map((r) => r.plan);
  expect(plans[0]?.action).toBe('update');
  expect(Object.keys(plans[0]?.diff ?? {}).sort()).toEqual(Object.keys(ctx.object.patch).sort());
  expect(plans[1]?.action).toBe('unchanged');
  if (op === 'upsert') expect(plans[2]?.action).toBe('create');
  expect(await exactState(ctx, sb)).toEqual(before);
}

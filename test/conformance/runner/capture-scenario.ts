import type { WorkflowHandle } from '@temporalio/client';
import { waitFor } from '../../helpers/wait';
import type { Rec } from '../fixture';
import { Capture, CAPTURE_POLL_MS, CAPTURE_WAIT_MS, expectWellFormed, type StreamEvent } from './capture';
import { keyOf, samples, type ScenarioContext } from './load-scenarios';
import { Loads } from './loads';
import type { ScenarioSandbox } from './suite-env';

/** A capture of the primary object on a sandbox of its own, and loads that make its changes. */
async function setUpCapture(ctx: ScenarioContext, options: Record<string, unknown> = {}) {
  const sb = await ctx.env.sandbox(ctx.fixture);
  await ctx.fixture.capture.prepare?.(sb);
  const loads = new Loads(ctx.env, sb, ctx.object);
  const capture = await Capture.start(ctx.env, sb, ctx.object.object, options);
  return { sb, loads, capture };
}

/** The system ids of records, read back from the sandbox (the id field is the ObjectSpec's first natural key). */
async function systemIds(ctx: ScenarioContext, sb: ScenarioSandbox, records: Rec[]): Promise<string[]> {
  const live = await sb.live(ctx.object);
  return records.map((r) => {
    const field = ctx.object.streamId ?? ctx.spec.naturalKeys[0];
    const id = live.get(keyOf(ctx.object, r))?.[field];
    if (id === undefined || id === null) throw new Error(`${keyOf(ctx.object, r)} is not in the sandbox, or the fixture's live() gives no ${field}`);
    return String(id);
  });
}

const keyAndPatch = (ctx: ScenarioContext, r: Rec): Rec => ({ [ctx.object.naturalKey]: r[ctx.object.naturalKey], ...ctx.object.patch });
const keyOnly = (ctx: ScenarioContext, r: Rec): Rec => ({ [ctx.object.naturalKey]: r[ctx.object.naturalKey] });

async function untilCaptured(capture: Capture, ids: string[], what: string, test: (e: StreamEvent) => boolean = () => true): Promise<void> {
  await waitFor(what, async () => {
    const events = await capture.stream();
    return ids.every((id) => events.some((e) => e.recordId === id && test(e))) || undefined;
  }, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
}

/** Two more polls happen, then the Stream is what it was: nothing arrives late or twice. */
async function settled(capture: Capture): Promise<StreamEvent[]> {
  const polls = (await capture.view()).polls;
  await waitFor('two more polls', async () => (await capture.view()).polls >= polls + 2 || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
  return capture.stream();
}

/**
 * Capture into the Stream across a worker restart: records created by a load are captured once;
 * the worker is restarted (one restart shared by every connector's scenario); an update load and a
 * delete load later, each change arrives exactly once more (deletes as tombstones where the system
 * has them). Three polls a run, so it continues as new on the way, cursor and counts carried over.
 */
export async function captureAcrossRestart(ctx: ScenarioContext): Promise<void> {
  const { sb, loads, capture } = await setUpCapture(ctx, { pollsPerRun: 3 });
  try {
    const records = samples(ctx.object);
    expect((await loads.run('create', records)).status).toBe('completed');
    const ids = await systemIds(ctx, sb, records);
    await untilCaptured(capture, ids, 'the creates in the Stream');

    await ctx.restartWorker();

    expect((await loads.run('update', records.slice(0, 2).map((r) => keyAndPatch(ctx, r)))).status).toBe('completed');
    expect((await loads.run('delete', records.slice(2).map((r) => keyOnly(ctx, r)))).status).toBe('completed');
    const tombstones = ctx.fixture.capture.tombstones === true;
    const expected = records.length + 2 + (tombstones ? 2 : 0);
    await waitFor(`${expected} events in the Stream`, async () => (await capture.stream()).length >= expected || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);

    const events = await settled(capture);
    expectWellFormed(events);
    const story = (id: string) => events.filter((e) => e.recordId === id).map((e) => e.op);
    expect(ids.map(story)).toEqual([
      ['upsert', 'upsert'], ['upsert', 'upsert'],
      tombstones ? ['upsert', 'delete'] : ['upsert'], tombstones ? ['upsert', 'delete'] : ['upsert'],
    ]);
    for (const id of ids.slice(0, 2)) expect(events.filter((e) => e.recordId === id).at(-1)?.data).toMatchObject(ctx.object.patch);
    if (tombstones) for (const id of ids.slice(2)) expect(events.filter((e) => e.recordId === id).at(-1)?.data ?? null).toBeNull();

    const view = await capture.view();
    expect(view).toMatchObject({ status: 'running', eventsCaptured: events.length, object: ctx.object.object, intervalSeconds: 1 });
    expect(view.lastPollAt).toEqual(expect.any(String));
    expect(view.lastError).toBeUndefined();
    expect(view.runs).toBeGreaterThanOrEqual(2);
    expect((await capture.handle().describe()).historyLength).toBeLessThan(100);
  } finally {
    await capture.stop();
  }
}

/** Paused, a capture appends nothing; resumed, it catches up; stopped, it stays stopped. */
export async function capturePauseResume(ctx: ScenarioContext): Promise<void> {
  const { sb, loads, capture } = await setUpCapture(ctx);
  const records = samples(ctx.object, 0, 2);
  expect((await loads.run('create', records)).status).toBe('completed');
  const ids = await systemIds(ctx, sb, records);
  await untilCaptured(capture, ids, 'the creates');

  expect(await capture.control('pause')).toBe(202);
  await waitFor('the pause', async () => (await capture.view()).status === 'paused' || undefined, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
  // A poll under way when the pause came still finishes. Then the workflow waits on nothing but a
  // signal: no activity running, no timer set. Nothing can poll until it is resumed, so nothing
  // the update load changes may reach the Stream, and the history stays as it is.
  const idle = await waitFor('the paused workflow to wait on a signal alone', () => waitsOnSignalOnly(capture.handle()), CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
  const paused = await capture.view();
  const whilePaused = (await capture.stream()).length;
  expect((await loads.run('update', records.map((r) => keyAndPatch(ctx, r)))).status).toBe('completed');
  const still = await capture.view();
  expect({ status: still.status, polls: still.polls, events: (await capture.stream()).length, history: (await capture.handle().describe()).historyLength })
    .toEqual({ status: 'paused', polls: paused.polls, events: whilePaused, history: idle.historyLength });

  expect(await capture.control('resume')).toBe(202);
  await untilCaptured(capture, ids, 'the updates made while paused', (e) => e.op === 'upsert' && matches(e.data, ctx.object.patch));
  expect((await capture.view()).status).toBe('running');
  expectWellFormed(await capture.stream());

  expect(await capture.stop()).toBe(204);
  expect((await capture.handle().result()).status).toBe('stopped');
  expect((await capture.view()).status).toBe('stopped');
  expect(await capture.control('resume')).toBe(409);
}

/**
 * The workflow's history length when it has no activity scheduled or running and no timer set (so
 * only a signal can wake it), else undefined.
 */
async function waitsOnSignalOnly(handle: WorkflowHandle): Promise<{ historyLength: number } | undefined> {
  const described = await handle.describe();
  if ((described.raw.pendingActivities ?? []).length > 0) return undefined;
  const events = (await handle.fetchHistory()).events ?? [];
  const last = events[events.length - 1];
  if (!last?.workflowTaskCompletedEventAttributes) return undefined;
  const openTimers = new Set<string>();
  for (const e of events) {
    if (e.timerStartedEventAttributes?.timerId) openTimers.add(e.timerStartedEventAttributes.timerId);
    const closed = e.timerFiredEventAttributes?.timerId ?? e.timerCanceledEventAttributes?.timerId;
    if (closed) openTimers.delete(closed);
  }
  return openTimers.size === 0 ? { historyLength: events.length } : undefined;
}

/** A 401 pauses the capture after one attempt, with the reason visible; resumed once fixed, it goes on. */
export async function capture401Pauses(ctx: ScenarioContext): Promise<void> {
  const { sb, loads, capture } = await setUpCapture(ctx);
  const first = samples(ctx.object, 0, 1);
  expect((await loads.run('create', first)).status).toBe('completed');
  await untilCaptured(capture, await systemIds(ctx, sb, first), 'the first record');

  await sb.faults([{ status: 401 }]);
  const paused = await waitFor('the pause on 401', async () => {
    const v = await capture.view();
    return v.status === 'paused' && v;
  }, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
  expect(paused.lastError?.kind).toBe('permanent');
  expect(paused.lastError?.message).toMatch(/401|auth|unauthori[sz]ed|invalid_grant|invalid_client|session/i);
  const history = (await capture.handle().fetchHistory()).events ?? [];
  const failed = history.filter((e) => e.activityTaskFailedEventAttributes);
  expect(failed).toHaveLength(1);
  const startedOfFailed = history.find((e) => e.eventId?.toString() === failed[0].activityTaskFailedEventAttributes!.startedEventId?.toString());
  expect(startedOfFailed?.activityTaskStartedEventAttributes?.attempt).toBe(1);

  await sb.call('DELETE', 'faults');
  const second = samples(ctx.object, 1, 2);
  expect((await loads.run('create', second)).status).toBe('completed');
  expect(await capture.control('resume')).toBe(202);
  await untilCaptured(capture, await systemIds(ctx, sb, second), 'the record created after the fix');
  const resumed = await waitFor('the error to clear', async () => {
    const v = await capture.view();
    return v.status === 'running' && v.lastError === undefined && v;
  }, CAPTURE_WAIT_MS, CAPTURE_POLL_MS);
  expect(resumed.status).toBe('running');
  expectWellFormed(await capture.stream());
  await capture.stop();
}

function matches(data: Record<string, unknown> | null, patch: Rec): boolean {
  return data !== null && Object.entries(patch).every(([k, v]) => JSON.stringify(data[k]) === JSON.stringify(v));
}

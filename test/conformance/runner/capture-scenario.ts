import { waitFor } from '../../helpers/wait';
import type { ObjectFixture } from '../fixture';
import { keyOf, samples, type ScenarioContext } from './load-scenarios';
import { Loads } from './loads';

interface StreamEvent {
  offset: number;
  recordId: string;
  op: 'upsert' | 'delete';
  version: string;
  data: Record<string, unknown> | null;
}

/**
 * Capture into the Stream across a worker restart: records created by a load are captured once;
 * the worker is restarted; an update load and a delete load later, each change arrives exactly once
 * more (deletes as tombstones where the system has them), nothing is lost, nothing repeats.
 */
export async function captureAcrossRestart(ctx: ScenarioContext): Promise<void> {
  const { env, fixture } = ctx;
  const object: ObjectFixture = fixture.primary;
  let restarted = false;
  try {
    await captureAround(ctx, object, async () => {
      restarted = true;
      await env.restartWorker();
    });
  } finally {
    if (!restarted) env.skipRestart();
  }
}

async function captureAround(ctx: ScenarioContext, object: ObjectFixture, restartWorker: () => Promise<void>): Promise<void> {
  const { env, fixture } = ctx;
  const sb = await env.sandbox(fixture);
  await fixture.capture.prepare?.(sb);
  const loads = new Loads(env, sb, object);

  const started = await env.api('POST', '/v1/captures', { connectionId: sb.connectionId, object: object.object, intervalSeconds: 1 });
  expect(started.status).toBe(201);
  const captureId = started.body.id as string;
  env.workflowIds.push(`capture-${env.tenantId}-${captureId}`);
  const stream = async (): Promise<StreamEvent[]> => {
    const events: StreamEvent[] = [];
    let after: number | undefined;
    for (;;) {
      const q = new URLSearchParams({ connectionId: sb.connectionId, object: object.object, limit: '1000', ...(after !== undefined ? { after: String(after) } : {}) });
      const page = await env.api('GET', `/v1/stream?${q}`);
      expect(page.status).toBe(200);
      events.push(...(page.body.events as StreamEvent[]));
      if (page.body.next === undefined) return events;
      after = page.body.next as number;
    }
  };
  const polls = async (): Promise<number> => (await env.api('GET', `/v1/captures/${captureId}`)).body.polls as number;

  try {
    const records = samples(object);
    const created = await loads.run('create', records);
    expect(created.status).toBe('completed');
    const live = await sb.live(object);
    const idField = ctx.spec.naturalKeys[0];
    const ids = records.map((r) => String(live.get(keyOf(object, r))?.[idField]));
    await waitFor('the creates in the Stream', async () => {
      const events = await stream();
      return ids.every((id) => events.some((e) => e.recordId === id)) || undefined;
    }, 60_000);

    await restartWorker();

    const updated = await loads.run('update', records.slice(0, 2).map((r) => ({ [object.naturalKey]: r[object.naturalKey], ...object.patch })));
    expect(updated.status).toBe('completed');
    const deleted = await loads.run('delete', records.slice(2).map((r) => ({ [object.naturalKey]: r[object.naturalKey] })));
    expect(deleted.status).toBe('completed');
    const tombstones = fixture.capture.tombstones === true;
    const expected = records.length + 2 + (tombstones ? 2 : 0);
    await waitFor(`${expected} events in the Stream`, async () => (await stream()).length >= expected || undefined, 60_000);
    const seenPolls = await polls();
    await waitFor('two more polls', async () => (await polls()) >= seenPolls + 2 || undefined, 30_000);

    const events = await stream();
    for (let i = 1; i < events.length; i++) expect(events[i].offset).toBeGreaterThan(events[i - 1].offset);
    const versions = events.map((e) => `${e.recordId}/${e.version}`);
    expect(new Set(versions).size).toBe(versions.length);
    const story = (id: string) => events.filter((e) => e.recordId === id).map((e) => e.op);
    expect(ids.map(story)).toEqual([
      ['upsert', 'upsert'], ['upsert', 'upsert'],
      tombstones ? ['upsert', 'delete'] : ['upsert'], tombstones ? ['upsert', 'delete'] : ['upsert'],
    ]);
    for (const id of ids.slice(0, 2)) {
      const last = events.filter((e) => e.recordId === id).at(-1);
      expect(last?.data).toMatchObject(object.patch);
    }
    if (tombstones) for (const id of ids.slice(2)) expect(events.filter((e) => e.recordId === id).at(-1)?.data ?? null).toBeNull();
  } finally {
    await env.api('DELETE', `/v1/captures/${captureId}`);
  }
}

import type { ChangeEvent, ConnectorContext, ConnectorDefinition, Rec, SourceContract } from '../../src/connectors/contract';
import { CrmApi } from '../../src/connectors/hubspot/crm-api';
import { hubspotSource } from '../../src/connectors/hubspot/source';
import { findConnector } from '../../src/connectors/registry';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { startHubspot, type HubspotHarness } from '../sandboxes/hubspot-client';

/** A connection to the sandbox, built through the connector's definition. */
function connect(def: ConnectorDefinition, hs: HubspotHarness): Promise<ConnectorContext> {
  return connectToSandbox(def, hs.url);
}

interface Drained {
  changes: ChangeEvent[];
  cursor: unknown;
  polls: number;
}

/** Polls until hasMore is false, as the capture workflow does. */
async function drain(source: SourceContract, object: string, cursor: unknown, maxPolls = 100): Promise<Drained> {
  const changes: ChangeEvent[] = [];
  let polls = 0;
  for (;;) {
    const page = await source.capture(object, cursor);
    polls++;
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor, polls };
    if (polls >= maxPolls) throw new Error(`capture still had more after ${polls} polls`);
  }
}

function expectInOrderWithoutDuplicates(changes: ChangeEvent[]): void {
  const seen = new Set(changes.map((c) => `${c.recordId}/${c.version}`));
  expect(seen.size).toBe(changes.length);
  const times = changes.map((c) => Date.parse(c.occurredAt));
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

const T0 = '2024-03-01T09:00:00.000Z';

describe('HubSpot source against the sandbox', () => {
  const def = findConnector('hubspot')!;
  let hs: HubspotHarness;
  let ctx: ConnectorContext;

  const clock = (body: Record<string, unknown>) => hs.admin('POST', 'clock', body);
  const requests = async (): Promise<Array<{ method: string; path: string; status: number }>> => (await hs.admin('GET', 'requests')).body.requests;
  const seed = async (object: string, records: Rec[]): Promise<string[]> =>
    ((await hs.admin('POST', 'seed', { objects: { [object]: records } })).body.objects[object] as Array<{ id: string }>).map((r) => r.id);

  beforeEach(async () => {
    hs = await startHubspot();
    ctx = await connect(def, hs);
    // HubSpot's time stands still unless a test moves it: many changes can share one timestamp.
    await clock({ at: T0, frozen: true });
  });
  afterEach(async () => {
    await hs.stop();
  });

  it('captures creates, updates and archives in order, resuming from each cursor without loss or duplicates', async () => {
    const source = def.source(ctx);
    const dest = def.destination(ctx);

    const created = await dest.write('contacts', 'create', 'email', Array.from({ length: 30 }, (_, i) => ({ email: `c${i}@example.com`, firstname: `C${i}` })));
    const ids = created.map((r) => r.id!);
    const first = await drain(source, 'contacts', null);
    expect(first.changes.map((c) => c.recordId)).toEqual(ids);
    expect(first.changes.every((c) => c.op === 'upsert' && c.occurredAt === T0)).toBe(true);
    expect(first.changes[0]).toMatchObject({ object: 'contacts', version: `${T0}/${ids[0]}`, data: { hs_object_id: ids[0], email: 'c0@example.com', firstname: 'C0' } });

    await clock({ advanceMs: 1000 });
    await dest.write('contacts', 'update', 'hs_object_id', ids.slice(0, 10).map((id, i) => ({ hs_object_id: id, lastname: `L${i}` })));
    const updates = await drain(source, 'contacts', first.cursor);
    expect(updates.changes.map((c) => c.recordId)).toEqual(ids.slice(0, 10));
    expect(updates.changes[3]).toMatchObject({ op: 'upsert', occurredAt: '2024-03-01T09:00:01.000Z', data: { lastname: 'L3' } });

    await clock({ advanceMs: 1000 });
    const archived = [ids[2], ids[20], ids[21]];
    expect((await dest.delete('contacts', 'hs_object_id', archived)).map((r) => r.outcome)).toEqual(['deleted', 'deleted', 'deleted']);
    await clock({ advanceMs: 1000 });
    const later = await dest.write('contacts', 'create', 'email', [{ email: 'late@example.com' }]);
    const tail = await drain(source, 'contacts', updates.cursor);
    expect(tail.changes.map((c) => [c.op, c.recordId, c.occurredAt])).toEqual([
      ...archived.map((id) => ['delete', id, '2024-03-01T09:00:02.000Z']),
      ['upsert', later[0].id, '2024-03-01T09:00:03.000Z'],
    ]);
    expect(tail.changes[0]).toMatchObject({ data: null, version: '2024-03-01T09:00:02.000Z/deleted' });

    const again = await source.capture('contacts', tail.cursor);
    expect(again).toEqual({ changes: [], cursor: tail.cursor, hasMore: false });

    // The same history captured in one go, a few changes per poll, gives each record's latest state once.
    const small = hubspotSource(new CrmApi(ctx.http), { maxChangesPerPoll: 4 });
    const whole = await drain(small, 'contacts', null);
    expect(whole.polls).toBeGreaterThan(7);
    expectInOrderWithoutDuplicates(whole.changes);
    expect(whole.changes.filter((c) => c.op === 'delete').map((c) => c.recordId)).toEqual(archived);
    const upserted = whole.changes.filter((c) => c.op === 'upsert').map((c) => c.recordId);
    expect(upserted.sort()).toEqual([...ids.filter((id) => !archived.includes(id)), later[0].id].sort());
  });

  it('captures more than 10,000 records sharing one timestamp, bounded per poll, then nothing new', async () => {
    const before = await seed('deals', [{ dealname: 'earlier', hs_lastmodifieddate: '2024-03-01T08:59:59.000Z' }]);
    const crowd = await seed('deals', Array.from({ length: 10_250 }, (_, i) => ({ dealname: `bulk ${i}`, amount: i })));
    const after = await seed('deals', [{ dealname: 'later', hs_lastmodifieddate: '2024-03-01T09:00:00.001Z' }]);
    const source = def.source(ctx);

    const pages: ChangeEvent[][] = [];
    let cursor: unknown = null;
    for (let more = true; more;) {
      const page = await source.capture('deals', cursor);
      expect(page.changes.length).toBeLessThanOrEqual(1000);
      pages.push(page.changes);
      cursor = page.cursor;
      more = page.hasMore;
      if (pages.length === 3) {
        // Still importing at the same instant: a record with a higher id joins the crowd mid-capture.
        crowd.push(...await seed('deals', [{ dealname: 'straggler' }]));
      }
      expect(pages.length).toBeLessThan(30);
    }
    const changes = pages.flat();
    expect(pages.length).toBeGreaterThanOrEqual(11);
    expectInOrderWithoutDuplicates(changes);
    expect(changes.map((c) => c.recordId)).toEqual([...before, ...crowd, ...after]);
    expect(changes.filter((c) => c.occurredAt === T0)).toHaveLength(10_251);

    const again = await source.capture('deals', cursor);
    expect(again).toEqual({ changes: [], cursor, hasMore: false });
    const searches = (await requests()).filter((r) => r.path === '/crm/v3/objects/deals/search');
    expect(searches.every((r) => r.status === 200)).toBe(true); // never ran into the 10,000-result cap
  });

  it('takes ties in deletes by id, and an archive at an update\'s instant still comes out as the newer version', async () => {
    const ids = await seed('companies', Array.from({ length: 12 }, (_, i) => ({ name: `co ${i}`, domain: `co${i}.com` })));
    const source = hubspotSource(new CrmApi(ctx.http), { maxChangesPerPoll: 5 });
    const upserts = await drain(source, 'companies', null);
    expect(upserts.changes).toHaveLength(12);

    // All archived at one instant (the clock is frozen), in two requests, taken 5 at a time.
    await def.destination(ctx).delete('companies', 'hs_object_id', ids.slice(0, 7));
    const firstDeletes = await source.capture('companies', upserts.cursor);
    expect(firstDeletes).toMatchObject({ hasMore: true });
    await def.destination(ctx).delete('companies', 'hs_object_id', ids.slice(7));
    const rest = await drain(source, 'companies', firstDeletes.cursor);
    const deletes = [...firstDeletes.changes, ...rest.changes];
    expect(deletes.map((c) => [c.op, c.recordId])).toEqual(ids.map((id) => ['delete', id]));
    expect(deletes.every((c) => c.version === `${T0}/deleted`)).toBe(true);
    expect(deletes[0].version > upserts.changes[0].version).toBe(true);
    expect(await source.capture('companies', rest.cursor)).toMatchObject({ changes: [], hasMore: false });
  });

  it('leaves changes younger than the search-index settle window for a later poll', async () => {
    await seed('contacts', [{ email: 'settled@example.com' }]);
    let now = Date.parse(T0) + 5_000; // HubSpot's clock reads T0: our wall clock is only 5 s later
    const source = hubspotSource(new CrmApi(ctx.http), { settleMs: 10_000, now: () => now });
    const early = await source.capture('contacts', null);
    expect(early).toMatchObject({ changes: [], hasMore: false });
    now += 10_000;
    const settled = await source.capture('contacts', early.cursor);
    expect(settled.changes.map((c) => c.data?.email)).toEqual(['settled@example.com']);
  });

  it('refuses a cursor it did not write', async () => {
    await expect(def.source(ctx).capture('contacts', { page: 3 })).rejects.toMatchObject({ kind: 'permanent' });
  });
});

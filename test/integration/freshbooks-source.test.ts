import type { ChangeEvent, ConnectorContext } from '../../src/connectors/contract';
import { easternStampMs } from '../../src/connectors/freshbooks/eastern-time';
import { FbApi } from '../../src/connectors/freshbooks/fb-api';
import { freshbooksSource } from '../../src/connectors/freshbooks/source';
import { findConnector } from '../../src/connectors/registry';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { startFreshbooks, type FreshbooksHarness } from '../sandboxes/freshbooks-client';

describe('FreshBooks source (search[updated_min]) against the sandbox', () => {
  const def = findConnector('freshbooks')!;
  let fb: FreshbooksHarness;
  let ctx: ConnectorContext;
  let clockMs: number;

  beforeEach(async () => {
    fb = await startFreshbooks();
    // The test's own client refreshes first: Intuit and FreshBooks void a refresh token once used, so
    // the connection must start from the token that refresh handed out.
    await fb.api('GET', '/users/clients');
    await fb.admin('DELETE', 'requests');
    ctx = await connectToSandbox(def, fb.url);
    clockMs = Date.parse('2024-07-01T03:00:00Z');
    await fb.admin('POST', 'clock', { at: new Date(clockMs).toISOString(), frozen: true });
  });
  afterEach(async () => { await fb.stop(); });

  const source = (maxChangesPerPoll?: number) => freshbooksSource(new FbApi(ctx.http, String(ctx.config.accountId)), { now: () => clockMs, maxChangesPerPoll });
  const tick = async (ms: number) => {
    clockMs += ms;
    await fb.admin('POST', 'clock', { at: new Date(clockMs).toISOString(), frozen: true });
  };
  async function drain(from: unknown, maxChangesPerPoll?: number): Promise<{ changes: ChangeEvent[]; cursor: any; polls: number }> {
    const changes: ChangeEvent[] = [];
    let cursor = from;
    for (let polls = 1; polls <= 50; polls++) {
      const page = await source(maxChangesPerPoll).capture('clients', cursor);
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return { changes, cursor, polls };
    }
    throw new Error('capture did not catch up');
  }
  const client = async (fields: Record<string, unknown>) => (await fb.api('POST', '/users/clients', { client: fields })).body.response.result.client;
  const searches = async () => ((await fb.admin('GET', 'requests')).body.requests as Array<{ path: string; query: string }>)
    .filter((r) => r.path.endsWith('/users/clients')).map((r) => decodeURIComponent(r.query));

  it('reads Eastern wall-clock stamps as instants, across daylight saving time', () => {
    expect(new Date(easternStampMs('2024-06-30 23:30:00')!).toISOString()).toBe('2024-07-01T03:30:00.000Z');
    expect(new Date(easternStampMs('2024-01-15 08:00:00')!).toISOString()).toBe('2024-01-15T13:00:00.000Z');
    expect(easternStampMs('2024-01-15T08:00:00Z')).toBeUndefined();
  });

  it('captures creates, updates and soft deletes once each, re-reading only from the cursor\'s Eastern day', async () => {
    const ada = await client({ fname: 'Ada', email: 'ada@example.com' });
    await tick(1000);
    const bob = await client({ fname: 'Bob' });
    await tick(5000);
    const first = await drain(null);
    expect(first.changes.map((c) => `${c.recordId}:${c.op}`)).toEqual([`${ada.id}:upsert`, `${bob.id}:upsert`]);
    expect(first.changes[0].data).toMatchObject({ email: 'ada@example.com', id: String(ada.id) });
    expect(first.changes[0].occurredAt).toBe('2024-07-01T03:00:00.000Z');

    await tick(2 * 3600_000);
    await fb.api('PUT', `/users/clients/${ada.id}`, { client: { note: 'changed' } });
    await tick(1000);
    await fb.api('PUT', `/users/clients/${bob.id}`, { client: { vis_state: 1 } });
    await tick(5000);
    const second = await drain(first.cursor);
    expect(second.changes.map((c) => `${c.recordId}:${c.op}`)).toEqual([`${ada.id}:upsert`, `${bob.id}:delete`]);
    expect(second.changes[0].data).toMatchObject({ note: 'changed' });
    expect(second.changes[1].data).toBeNull();
    const queries = await searches();
    expect(queries.slice(-2)).toEqual(expect.arrayContaining([expect.stringContaining('search[updated_min]=2024-06-30'), expect.stringContaining('search[vis_state]=1')]));
    expect((await drain(second.cursor)).changes).toEqual([]);
  });

  it('loses and repeats nothing when many changes share one second and polls are small', async () => {
    const start = await drain(null);
    await tick(3000);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(String((await client({ organization: `Same second ${i}` })).id));
    await tick(5000);
    const { changes, polls } = await drain(start.cursor, 5);
    expect(changes.map((c) => c.recordId)).toEqual(ids);
    expect(polls).toBe(3);
  });

  it('leaves changes of the last seconds for the next poll (settle margin), then takes them', async () => {
    const start = await drain(null);
    await tick(3000);
    const fresh = await client({ organization: 'Fresh' });
    const early = await source().capture('clients', start.cursor);
    expect(early.changes).toEqual([]);
    await tick(3000);
    const later = await source().capture('clients', early.cursor);
    expect(later.changes.map((c) => c.recordId)).toEqual([String(fresh.id)]);
  });
});

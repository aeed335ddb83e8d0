import type { ConnectorContext } from '../../src/connectors/contract';
import { findConnector } from '../../src/connectors/registry';
import { ZendeskApi } from '../../src/connectors/zendesk/api';
import { zendeskSource } from '../../src/connectors/zendesk/source';
import { failureOf } from '../helpers/connector-errors';
import { connectToSandbox } from '../helpers/sandbox-connection';
import { startZendesk, type ZendeskHarness } from '../sandboxes/zendesk-client';

// The Zendesk connector's capture against its sandbox: cursor-based incremental exports continued
// by after_cursor, one page per poll, a change visible once it is a minute old, deleted tickets and
// users as deletes, and the exports' own 10-a-minute limit read as a wait.

jest.setTimeout(60_000);

describe('Zendesk source against the sandbox', () => {
  const def = findConnector('zendesk')!;
  let z: ZendeskHarness;
  let ctx: ConnectorContext;

  async function start(options: Parameters<typeof startZendesk>[0] = {}) {
    z = await startZendesk(options);
    ctx = await connectToSandbox(def, z.url);
    await z.admin('POST', 'clock', { at: '2025-03-01T10:00:00.000Z', frozen: true });
  }
  const advance = (ms: number) => z.admin('POST', 'clock', { advanceMs: ms });
  afterEach(async () => { await z.stop(); });

  it('exports tickets page by page from after_cursor, each change once, deletes as deletes', async () => {
    await start();
    const source = def.source(ctx);
    await z.admin('POST', 'seed', { objects: { tickets: Array.from({ length: 5 }, (_, i) => ({ subject: `t${i}`, external_id: `e-${i}`, updated_at: `2025-03-01T09:0${i}:00Z` })) } });
    const small = zendeskSource(new ZendeskApi(ctx.http), { maxChangesPerPoll: 2 });
    const pages = [];
    let cursor: unknown = null;
    do {
      const page = await small.capture('tickets', cursor);
      pages.push(page);
      cursor = page.cursor;
    } while (pages[pages.length - 1].hasMore);
    expect(pages.map((p) => p.changes.map((c) => c.data!.subject))).toEqual([['t0', 't1'], ['t2', 't3'], ['t4']]);
    expect(pages[0].changes[0]).toMatchObject({ object: 'tickets', op: 'upsert', occurredAt: '2025-03-01T09:00:00.000Z', version: '2025-03-01T09:00:00.000Z', data: { external_id: 'e-0' } });
    expect((await source.capture('tickets', cursor)).changes).toEqual([]);

    const deleted = pages[0].changes[1].recordId;
    const job = (await z.call('PUT', '/api/v2/tickets/update_many', { tickets: [{ id: Number(pages[0].changes[0].recordId), priority: 'urgent' }] })).body.job_status;
    await z.finish(job.id); // a job does its work when it completes
    await z.call('DELETE', `/api/v2/tickets/${deleted}`);
    const young = await source.capture('tickets', cursor);
    expect(young.changes).toEqual([]); // Zendesk leaves out the last minute
    await advance(61_000);
    const later = await source.capture('tickets', young.cursor);
    expect(later.changes.map((c) => [c.recordId, c.op])).toEqual([[pages[0].changes[0].recordId, 'upsert'], [deleted, 'delete']]);
    expect(later.changes[1]).toMatchObject({ data: null, version: expect.stringMatching(/\/deleted$/) });
    expect((await source.capture('tickets', later.cursor)).changes).toEqual([]);
  });

  it('exports users, with deleted users as deletes', async () => {
    await start();
    const [ada] = (await z.admin('POST', 'seed', { objects: { users: [{ name: 'Ada', email: 'ada@example.com', updated_at: '2025-03-01T09:00:00Z' }] } })).body.objects.users;
    const source = def.source(ctx);
    const first = await source.capture('users', null);
    expect(first.changes.map((c) => [c.op, c.data?.email])).toEqual([['upsert', 'ada@example.com']]);
    await z.call('DELETE', `/api/v2/users/${ada.id}`);
    await advance(61_000);
    const second = await source.capture('users', first.cursor);
    expect(second.changes).toEqual([expect.objectContaining({ recordId: String(ada.id), op: 'delete', data: null })]);
  });

  it('reads the exports own 10-a-minute limit as a transient wait with Retry-After', async () => {
    await start({ incrementalExportLimit: true });
    const source = def.source(ctx);
    for (let i = 0; i < 10; i++) await source.capture('tickets', null);
    const limited = await failureOf(source.capture('tickets', null));
    expect(limited).toMatchObject({ kind: 'transient', status: 429 });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
  });

  it('refuses a cursor it did not write', async () => {
    await start();
    expect((await failureOf(def.source(ctx).capture('tickets', { created: 5 }))).kind).toBe('permanent');
  });
});
